//! The browser entry's operations, over option records.
//!
//! The wasm layer ([`crate::wasm`]) hands each call here as it came from the
//! JavaScript facade: an operation, the config's records, the page origin,
//! the redirect's tagged value and the params' records. Everything is
//! checked again on every call and borrowed from the records: nothing is
//! kept between calls, so nothing can go stale, and nothing is copied that
//! the answer does not need. The answers are strings the facade acts on.

use alloc::string::String;

use crate::error::{Fail, Msg, Outcome};
use crate::logout::{push_name, query_separator, write_request, Method, Request};
use crate::options::{check_config, check_params, redirect_value};
use crate::redirect::{allowed_origin, check_redirect};
use crate::url_parser::UrlParser;

/// The application's origin (`new LogoutClient` checks the config).
pub(crate) const ORIGIN: u32 = 0;
/// The personal center URL (`personalCenterUrl`).
pub(crate) const PERSONAL_CENTER: u32 = 1;
/// The logout URL (`buildLogoutUrl`).
pub(crate) const URL: u32 = 2;
/// What `logout` must do, decided before it acts (any `op` past [`URL`]).
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) const PLAN: u32 = 3;
/// [`PLAN`] in a scope that has an origin but no document to navigate (a
/// worker): the redirect is guarded as in a page, and only the `navigate`
/// callback can carry the logout out.
pub(crate) const PLAN_WITHOUT_DOCUMENT: u32 = 4;

/// Validates the config (and, for [`URL`] and [`PLAN`], the call) and
/// answers per `op`:
///
/// * [`ORIGIN`]: the application's origin;
/// * [`PERSONAL_CENTER`]: the personal center, `<origin>/u`;
/// * [`URL`]: the logout URL;
/// * [`PLAN`]: `A<url>` (assign), `R<url>` (replace), `N<url>` (the
///   `navigate` callback) or `P<endpoint>\n<form fields, URL-encoded>` (form
///   POST); [`PLAN_WITHOUT_DOCUMENT`] the same in a worker.
///
/// `page` is the global scope's `location.origin` (a page's or a worker's),
/// empty outside a browser; `redirect` is
/// one tagged value (empty: none) and `config` and `params` are option
/// records ([`crate::records`]).
pub(crate) fn answer<'a>(
    op: u32,
    config: &'a str,
    page: &str,
    redirect: &str,
    params: &'a str,
    parser: &impl UrlParser,
) -> Outcome<'a, String> {
    let page = (!page.is_empty()).then_some(page);
    let config = check_config(config, parser)?;
    let origin = config.app_domain.origin();
    if op == ORIGIN {
        return Ok(String::from(origin));
    }
    if op == PERSONAL_CENTER {
        return Ok(config.app_domain.personal_center_url());
    }
    let redirect = redirect_value(redirect)?;
    let call = check_params(params)?;
    let redirect = match redirect {
        Some(redirect) => Some(check_redirect(
            redirect,
            page,
            // An entry parses the same way every time: it passed when the
            // config was checked.
            config.allowed.map(|list| {
                move |origin: &str| {
                    list.iter()
                        .any(|entry| allowed_origin(entry, parser).is_ok_and(|o| o == origin))
                }
            }),
            parser,
        )?),
        None => None,
    };
    let mut values = call.values;
    values[1] = redirect.as_deref();
    let navigate = config.browser.navigate;
    let method = call.method.unwrap_or(config.method);
    // A POST plan is the endpoint, a newline and the form fields.
    let post = op != URL && method == Method::Post;
    // A plan's kind goes first, and the URL follows it.
    let kind = if op == URL {
        ""
    } else if post {
        "P"
    } else if navigate {
        "N"
    } else if call.replace.unwrap_or(config.browser.replace) {
        "R"
    } else {
        "A"
    };
    let mut out = String::from(kind);
    let mut fields = 0;
    write_request(
        Request {
            origin,
            endpoint: config.endpoint,
            client_id: config.client_id,
            protocol: call.protocol.unwrap_or(config.protocol),
            method,
            values,
        },
        &mut out,
        |url, name, value| {
            let separator = match (post, fields) {
                (true, 0) => "\n",
                (true, _) => "&",
                _ => query_separator(url),
            };
            push_name(url, separator, name);
            parser.encode_uri_component_into(value, url);
            fields += 1;
        },
    )?;
    if op == URL {
        return Ok(out);
    }
    if post && navigate {
        return Err(Fail::new(Msg::PostNavigate));
    }
    if (page.is_none() || op == PLAN_WITHOUT_DOCUMENT) && !navigate {
        return Err(Fail::new(Msg::NoWindow));
    }
    if post && fields == 0 {
        out.push_str("\n");
    }
    Ok(out)
}

#[cfg(all(test, feature = "url"))]
mod tests {
    use super::*;
    use crate::error::{Error, ErrorCode};
    use crate::logout::push_field;
    use crate::options::{read_config, read_params, read_redirect};
    use crate::records::RecordWriter;
    use crate::url_parser::WhatwgUrl;
    use alloc::vec::Vec;

    fn write(w: &mut RecordWriter, v: &serde_json::Value) {
        match v {
            serde_json::Value::String(s) => w.string(s),
            serde_json::Value::Bool(b) => w.bool(*b),
            serde_json::Value::Array(items) => {
                match items.iter().map(|i| i.as_str()).collect::<Option<Vec<_>>>() {
                    Some(items) => w.list(&items),
                    None => w.other(),
                }
            }
            _ => w.other(),
        };
    }

    fn records(v: Option<&serde_json::Value>) -> String {
        let mut w = RecordWriter::new();
        for (k, v) in v.and_then(|v| v.as_object()).into_iter().flatten() {
            w.key(k);
            write(&mut w, v);
        }
        w.finish()
    }

    /// `answer` (the browser entry's path) and `read_config` + `build` (the
    /// Rust API's) agree on every case of the contract table, in and out of
    /// a page: the same URL or the same error; and a plan is the URL with
    /// its kind, or for a form POST the endpoint and the encoded fields.
    #[test]
    fn answer_agrees_with_build_on_the_table() {
        let table: serde_json::Value =
            serde_json::from_str(include_str!("../tests/data/logout_cases.json")).unwrap();
        let cases = table["cases"].as_array().unwrap();
        let (mut urls, mut plans, mut posts, mut errors) = (0, 0, 0, 0);
        for case in cases {
            let config = records(case.get("config"));
            let params = records(case.get("params"));
            let mut redirect = RecordWriter::new();
            if let Some(r) = case.get("redirect") {
                write(&mut redirect, r);
            }
            let redirect = redirect.finish();
            for page in ["", "https://app.example.com"] {
                let built = (|| {
                    let (c, browser) =
                        read_config(&config, (!page.is_empty()).then_some(page), &WhatwgUrl)?;
                    let (p, replace) = read_params(&params)?;
                    let r = read_redirect(&redirect)?;
                    Ok::<_, Error>((c.build(r, &p, &WhatwgUrl)?, browser, replace))
                })();
                let answered = answer(URL, &config, page, &redirect, &params, &WhatwgUrl);
                let plan = answer(PLAN, &config, page, &redirect, &params, &WhatwgUrl);
                // In a worker the plan is the page's when `navigate` carries
                // it out, else no_window (the same for every refused call).
                let worker = answer(
                    PLAN_WITHOUT_DOCUMENT,
                    &config,
                    page,
                    &redirect,
                    &params,
                    &WhatwgUrl,
                );
                match (&plan, &worker) {
                    (Ok(p), Ok(w)) => assert!(p == w && p.starts_with("N"), "{case}"),
                    (Ok(_), Err(e)) => assert_eq!(e.code(), ErrorCode::NoWindow, "{case}"),
                    (Err(p), Err(w)) if p.code() != ErrorCode::NoWindow => {
                        assert_eq!(p, w, "{case}")
                    }
                    (Err(_), Err(w)) => assert_eq!(w.code(), ErrorCode::NoWindow, "{case}"),
                    (Err(_), Ok(_)) => panic!("a worker plan where a page has none: {case}"),
                }
                match (built, answered) {
                    (Ok((target, browser, replace)), Ok(url)) => {
                        assert_eq!(url, target.url(), "{case}");
                        urls += 1;
                        if page.is_empty() && !browser.navigate {
                            assert_eq!(plan.unwrap_err().code(), ErrorCode::NoWindow, "{case}");
                        } else if target.method() == Method::Post {
                            let mut fields = String::new();
                            for (name, value) in target.fields() {
                                push_field(&mut fields, name, value);
                            }
                            let expected = alloc::format!(
                                "P{}\n{}",
                                target.endpoint(),
                                fields.get(1..).unwrap_or("")
                            );
                            match plan {
                                Ok(plan) => assert_eq!(plan, expected, "{case}"),
                                Err(e) => {
                                    assert!(browser.navigate, "{case}");
                                    assert_eq!(e.code(), ErrorCode::InvalidOption);
                                }
                            }
                            posts += 1;
                        } else {
                            let kind = if browser.navigate {
                                "N"
                            } else if replace.unwrap_or(browser.replace) {
                                "R"
                            } else {
                                "A"
                            };
                            assert_eq!(plan.unwrap(), alloc::format!("{kind}{url}"), "{case}");
                            plans += 1;
                        }
                    }
                    (Err(a), Err(b)) => {
                        assert_eq!(a, Error::from(b), "{case}");
                        assert_eq!(Error::from(plan.unwrap_err()), a, "{case}");
                        errors += 1;
                    }
                    (a, b) => panic!("build {a:?} but answer {b:?} for {case}"),
                }
            }
        }
        // Both outcomes, and every kind of plan, are compared.
        assert!(
            urls > 70 && errors > 70 && plans > 30 && posts > 0,
            "{urls} URLs, {errors} errors, {plans} plans, {posts} posts"
        );
    }
}
