import { urls } from '../urls.js';
import { AdminLayout, type AdminAccount } from './admin/admin-layout.js';
import { Layout } from './layout.js';

/**
 * A clear page for anything that went wrong; never a stack trace. A committee member's error in
 * the admin keeps the admin's frame (its navigation, sign-out) and leads back to the admin.
 */
export function ErrorPage(props: {
  status: number;
  title: string;
  message: string;
  admin?: { account: AdminAccount; csrf: string } | undefined;
  /**
   * Where to go from here, besides the editions: a dead sign-in link's page offers a new one, a
   * refused upload or form (too large, expired, in conflict) the page it came from.
   */
  next?: { href: string; label: string } | undefined;
}): JSX.Element {
  if (props.admin) {
    return (
      <AdminLayout title={props.title} account={props.admin.account} csrf={props.admin.csrf}>
        <p safe>{props.message}</p>
        <NextLink next={props.next} />
        <p>
          <a href="/admin/">Back to the editions</a>
        </p>
      </AdminLayout>
    );
  }
  return (
    <Layout title={props.title}>
      <h1 safe>{props.title}</h1>
      <p safe>{props.message}</p>
      <NextLink next={props.next} />
      <p>
        <a href={urls.home()}>All editions</a>
      </p>
    </Layout>
  );
}

/** The page to go on to, when there is one. */
function NextLink(props: { next?: { href: string; label: string } | undefined }): JSX.Element {
  if (!props.next) return '';
  return (
    <p>
      <a href={props.next.href} safe>
        {props.next.label}
      </a>
    </p>
  );
}
