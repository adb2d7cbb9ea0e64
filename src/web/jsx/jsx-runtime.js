/**
 * The JSX runtime of every view (tsconfig's jsxImportSource, "#jsx", mapped here by package.json's
 * "imports"): @kitajs/html's, with two changes.
 *
 * kitajs escapes only `"` in an attribute's value, not `&`: a field whose text was "R&amp;D"
 * came out as value="R&amp;D", which the browser reads as "R&D", so opening a form and saving it
 * unchanged altered the text (the same for "&lt;", "&copy;" …). Here `&` in a string attribute
 * of an element is written `&amp;` first; kitajs then escapes `"` as before.
 *
 * And kitajs closes a void element with "/>" straight
 * after its last attribute, and renders a true boolean attribute as its bare name, so a checked
 * box came out as `<input type="checkbox" checked/>`. lynx (2.9.0dev.12) reads that as an
 * attribute named "checked/" and shows the box unchecked (the same for disabled, readonly,
 * required): a form saved in lynx then dropped what the page had shown as set. Here every void
 * element ends in " />", which every HTML parser, lynx's too, reads as the end of the tag.
 *
 * Plain JavaScript, outside tsc's output, so that the compiled program, its bundle, tsx and
 * vitest all load this same file.
 */
import { Fragment, jsx as kitaJsx, jsxs as kitaJsxs } from '@kitajs/html/jsx-runtime';

/** `html` as kitajs made it for the element `name`, its "/>" (a void element's end) spaced. */
function spaced(name, html) {
  return typeof name === 'string' && typeof html === 'string' && html.endsWith('/>') ? html.slice(0, -2) + ' />' : html;
}

/** Keys kitajs does not write as attributes, or writes its own way. */
const NOT_ATTRIBUTES = new Set(['children', 'safe', 'of', 'style', 'attrs']);

/** The attributes of an element with `&` in their string values written `&amp;`. */
function ampersands(name, attrs) {
  if (typeof name !== 'string' || !attrs) return attrs;
  let out = attrs;
  for (const key in attrs) {
    const value = attrs[key];
    if (typeof value !== 'string' || NOT_ATTRIBUTES.has(key) || !value.includes('&')) continue;
    if (out === attrs) out = { ...attrs };
    out[key] = value.replaceAll('&', '&amp;');
  }
  return out;
}

export function jsx(name, attrs) {
  return spaced(name, kitaJsx(name, ampersands(name, attrs)));
}

export function jsxs(name, attrs) {
  return spaced(name, kitaJsxs(name, ampersands(name, attrs)));
}

export { Fragment };
