import { urls } from '../urls.js';
import { Layout } from './layout.js';

/** A clear page for anything that went wrong; never a stack trace. */
export function ErrorPage(props: { status: number; title: string; message: string }): JSX.Element {
  return (
    <Layout title={props.title}>
      <h1 safe>{props.title}</h1>
      <p safe>{props.message}</p>
      <p>
        <a href={urls.home()}>All editions</a>
      </p>
    </Layout>
  );
}
