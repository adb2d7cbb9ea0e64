// The types of jsx-runtime.js: those of @kitajs/html's runtime, whose output it only respaces.
export { Fragment, jsx, jsxs } from '@kitajs/html/jsx-runtime';
