// The sign-in ended on a page reached through the identity provider's redirect (a cross-site navigation, which a
// SameSite=Strict session cookie is not sent with). A navigation started here is same-site: it carries the cookie,
// and it drops the authorization code from the address.
location.replace('/app/');
