/** The development entry of the runtime (vitest compiles the views with it): jsx-runtime.js's. */
import { Fragment, jsx, jsxs } from './jsx-runtime.js';

export { Fragment, jsx, jsxs, jsx as jsxDEV };
