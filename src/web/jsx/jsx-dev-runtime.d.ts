// The types of jsx-dev-runtime.js: those of @kitajs/html's.
export { Fragment, jsxDEV, jsxs } from '@kitajs/html/jsx-dev-runtime';
export { jsx } from '@kitajs/html/jsx-runtime';
