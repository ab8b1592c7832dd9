import { logOut } from './actions.js';

export default function ActionPage() {
  return (
    <form action={logOut}>
      <button id="action-logout" type="submit">Log out (server action)</button>
    </form>
  );
}
