/** @jsxImportSource #jsx */
import { describe, expect, it } from 'vitest';

describe('the JSX runtime of the views', () => {
  it('ends every void element in " />", after a bare boolean attribute too', () => {
    // lynx reads `checked/>` as an attribute named "checked/": the box shows empty.
    expect(<input type="checkbox" name="a" value="1" checked />).toBe('<input type="checkbox" name="a" value="1" checked />');
    expect(<input type="radio" name="r" value="2" checked={true} required />).toBe('<input type="radio" name="r" value="2" checked required />');
    expect(<input name="b" disabled readonly />).toBe('<input name="b" disabled readonly />');
    expect(<input type="file" name="f" multiple />).toBe('<input type="file" name="f" multiple />');
    expect(<input name="c" checked={false} />).toBe('<input name="c" />');
    expect(<br />).toBe('<br />');
    expect(<img src="/x.png" alt="" />).toBe('<img src="/x.png" alt="" />');
  });

  it('leaves every other element as @kitajs/html renders it', () => {
    expect(
      <select name="m" disabled>
        <option value="1" selected>
          one
        </option>
        <option value="2">two</option>
      </select>,
    ).toBe('<select name="m" disabled><option value="1" selected>one</option><option value="2">two</option></select>');
    expect(<textarea name="t" readonly required></textarea>).toBe('<textarea name="t" readonly required></textarea>');
    const Rule = (p: { children?: JSX.Element }) => (
      <>
        <hr />
        {p.children}
      </>
    );
    expect(
      <Rule>
        <p>after</p>
      </Rule>,
    ).toBe('<hr /><p>after</p>');
  });
});
