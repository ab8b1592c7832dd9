//! The hosted pages: small, plain HTML with stable element ids for browser
//! tests (`#sign-in`, `#user-name`, `#logout`, `#error`, `#signed-out`).
//! Every page names itself "Local GenAuth tenant" so nobody mistakes it for
//! the real service.

use crate::config::{TenantConfig, User};

/// Escapes text for HTML element content and double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Wraps `body` (already-escaped HTML) in the common page frame.
fn frame(config: &TenantConfig, title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <link rel=\"icon\" href=\"data:,\">\n\
         <title>{title} · Local GenAuth tenant</title>\n\
         <style>body{{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem}}\
         header{{color:#555;border-bottom:1px solid #ddd;margin-bottom:1rem}}\
         label{{display:block;margin:.5rem 0}}#error{{color:#a00}}</style>\n\
         </head>\n<body>\n<header id=\"tenant\">Local GenAuth tenant · user pool <code>{pool}</code></header>\n\
         <main>\n<h1>{title}</h1>\n{body}</main>\n</body>\n</html>\n",
        title = escape(title),
        pool = escape(&config.user_pool_id),
    )
}

/// The landing page at `/`.
pub fn index(config: &TenantConfig) -> String {
    let apps: String = config
        .apps
        .iter()
        .map(|a| {
            let uris: String = a
                .logout_redirect_uris
                .iter()
                .map(|u| format!("<li><code>{}</code></li>", escape(u)))
                .collect();
            format!(
                "<li><code>{}</code> ({}) logout redirect URIs:<ul>{uris}</ul></li>",
                escape(&a.id),
                escape(&a.name)
            )
        })
        .collect();
    frame(
        config,
        "Local GenAuth tenant",
        &format!(
            "<p>A stand-in for a GenAuth application domain, for the genauth-logout demo and tests.</p>\n\
             <ul><li><a id=\"sign-in-link\" href=\"/login\">Sign in</a></li>\
             <li><a id=\"personal-center-link\" href=\"/u\">Personal center</a></li></ul>\n\
             <h2>Applications</h2><ul id=\"apps\">{apps}</ul>\n"
        ),
    )
}

/// The sign-in form; `error` is shown in `#error` when set.
pub fn sign_in(config: &TenantConfig, redirect_uri: Option<&str>, error: Option<&str>) -> String {
    let error = error
        .map(|e| format!("<p id=\"error\" role=\"alert\">{}</p>\n", escape(e)))
        .unwrap_or_default();
    let redirect = redirect_uri
        .map(|r| {
            format!(
                "<input type=\"hidden\" id=\"redirect-uri\" name=\"redirect_uri\" value=\"{}\">\n",
                escape(r)
            )
        })
        .unwrap_or_default();
    let users: String = config
        .users
        .iter()
        .map(|u| {
            format!(
                "<li><code>{}</code> ({}), password <code>{}</code></li>",
                escape(&u.id),
                escape(&u.name),
                escape(&u.password)
            )
        })
        .collect();
    frame(
        config,
        "Sign in",
        &format!(
            "{error}<form id=\"sign-in-form\" method=\"post\" action=\"/login\">\n\
             <label>User name or id <input id=\"username\" name=\"username\" autocomplete=\"username\" required></label>\n\
             <label>Password <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label>\n\
             {redirect}<button id=\"sign-in\" type=\"submit\">Sign in</button>\n</form>\n\
             <p>Demo users of this local tenant:</p><ul id=\"demo-users\">{users}</ul>\n"
        ),
    )
}

/// The personal center (`/u`) of a signed-in user.
pub fn personal_center(config: &TenantConfig, user: &User) -> String {
    frame(
        config,
        "Personal center",
        &format!(
            "<p>Signed in as <strong id=\"user-name\">{}</strong> (<code id=\"user-id\">{}</code>).</p>\n\
             <p><a id=\"logout\" href=\"/login/profile/logout\">Logout</a></p>\n",
            escape(&user.name),
            escape(&user.id)
        ),
    )
}

/// The personal center when nobody is signed in.
pub fn not_signed_in(config: &TenantConfig) -> String {
    frame(
        config,
        "Personal center",
        "<p id=\"not-signed-in\">Nobody is signed in.</p>\n\
         <p><a id=\"sign-in-link\" href=\"/login\">Sign in</a></p>\n",
    )
}

/// Shown after a logout that had no redirect.
pub fn signed_out(config: &TenantConfig) -> String {
    frame(
        config,
        "Signed out",
        "<p id=\"signed-out\">You are signed out.</p>\n\
         <p><a id=\"sign-in-link\" href=\"/login\">Sign in again</a></p>\n",
    )
}

/// An error page; never redirects anywhere.
pub fn error(config: &TenantConfig, title: &str, message: &str) -> String {
    frame(
        config,
        title,
        &format!("<p id=\"error\" role=\"alert\">{}</p>\n", escape(message)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn pages_carry_ids_and_the_tenant_name() {
        let c = TenantConfig::default();
        let page = sign_in(&c, Some("\"><script>"), Some("bad"));
        assert!(page.contains("id=\"sign-in\""));
        assert!(page.contains("id=\"error\""));
        assert!(page.contains("Local GenAuth tenant"));
        assert!(!page.contains("<script>"));
        let user = &c.users[0];
        let page = personal_center(&c, user);
        assert!(page.contains("id=\"user-name\">Alice<"));
        assert!(page.contains("id=\"logout\" href=\"/login/profile/logout\""));
        assert!(signed_out(&c).contains("id=\"signed-out\""));
    }
}
