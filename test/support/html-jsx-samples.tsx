/**
 * JSX as the desk writes it, with no pragma: compiled through the project's default runtime
 * (tsconfig jsxImportSource, jest's moduleNameMapper), so the runtime test sees what pages see.
 */
import { type Child, Html } from '../../functions/core/html-jsx/jsx-runtime';

const render = (element: Html) => element.value;

function Card({ title, children }: { title: string; children?: Child }) {
  return (
    <section>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

/** A component may return a bare string, a list or nothing. */
const Plain = ({ text }: { text: string }) => text;
const Nothing = () => null;

export const samples = {
  keyedList: () =>
    render(
      <ul>
        {['a', 'b'].map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>,
    ),
  keyedComponent: () => render(<Card title="T" key="k" />),
  keyAfterSpread: (props: Record<string, string>) => render(<b {...props} key="k" />),
  // @ts-expect-error React's spelling is refused: HTML's class is the name.
  reactClassName: () => render(<b className="x" />),
  // @ts-expect-error React's spelling is refused: HTML's for is the name.
  reactHtmlFor: () => render(<label htmlFor="x">L</label>),
  camelCase: () => render(<input maxLength={40} />),
  booleans: (on: boolean) =>
    render(
      <form>
        <input type="checkbox" checked={on} disabled={on} required={on} />
        <select>
          <option value="1" selected={on}>
            1
          </option>
        </select>
        <button type="button" aria-pressed={on} data-open={on} />
      </form>,
    ),
  textarea: (text: string) =>
    render(
      <form>
        <textarea name="a">{text}</textarea>
        <textarea name="b" value={text} />
      </form>,
    ),
  numbers: () =>
    render(
      <p data-count={3} tabindex={0}>
        {0} {2.5}
      </p>,
    ),
  nested: () =>
    render(
      <p>
        {[['a', ['<b>']], [], [null, false, true, undefined], 'c']}
        {[1, [2, [3]]]}
      </p>,
    ),
  fragment: (text: string) =>
    render(
      <>
        <b>{text}</b>
        {text}
      </>,
    ),
  componentChildren: (text: string) =>
    render(
      <Card title={text}>
        <p>{text}</p>
        <Plain text={text} />
        <Nothing />
      </Card>,
    ),
  voids: () =>
    render(
      <div>
        <br />
        <hr />
        <img src="a" alt="" />
        <wbr />
      </div>,
    ),
  ours: () => render(<style>{new Html('a > b {}')}</style>),
};
