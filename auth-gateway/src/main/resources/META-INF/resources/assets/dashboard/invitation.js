// The invitation token travels in the fragment (never sent to a server, never in a log). It is kept in this tab
// across the sign-in, after which the dashboard offers to accept it.
const token = location.hash.slice(1);
if (/^[A-Za-z0-9_-]{16,200}$/.test(token)) {
  sessionStorage.setItem('spalce.invitation', token);
  history.replaceState(null, '', location.pathname);
  location.replace('/app/#/accept');
}
