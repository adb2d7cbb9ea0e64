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

  it('escapes & in attribute values, so that a field saved unchanged keeps its text', () => {
    // A browser reads value="R&amp;D" as "R&D": the text must come out as "R&amp;amp;D".
    expect(<input name="t" value={'R&amp;D &lt;x> &copy; AT&T'} />).toBe('<input name="t" value="R&amp;amp;D &amp;lt;x> &amp;copy; AT&amp;T" />');
    expect(<a href="/search?q=a&b=c" title={'say "hi" & go'}>x</a>).toBe('<a href="/search?q=a&amp;b=c" title="say &#34;hi&#34; &amp; go">x</a>');
    expect(<option value={'&'}>{'&'}</option>).toBe('<option value="&amp;">&</option>');
    expect(<input name="n" value={'plain'} maxlength="4" />).toBe('<input name="n" value="plain" maxlength="4" />');
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
