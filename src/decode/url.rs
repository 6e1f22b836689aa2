//! Splitting URLs and query strings into their parts, on the raw (still encoded) bytes, so that
//! an encoded `&` or `=` inside a value never splits it.

use super::Text;

/// The parts of a URL or request target that can hold credentials.
#[derive(Debug, Clone, Copy)]
pub struct UrlParts<'a> {
    /// The user name of `scheme://user:password@host`.
    pub user: Option<Text<'a>>,
    /// The password of `scheme://user:password@host`.
    pub password: Option<Text<'a>>,
    /// The host of `scheme://host:port/…`, without user-info or port.
    pub host: Option<Text<'a>>,
    /// The path, including matrix parameters (`;jsessionid=…`).
    pub path: Text<'a>,
    /// The query string, without `?`.
    pub query: Option<Text<'a>>,
    /// The fragment, without `#`.
    pub fragment: Option<Text<'a>>,
}

/// Splits an absolute URL (`https://user:pass@host/p?q#f`), a scheme-relative one (`//host/p`) or
/// an origin-form target (`/p?q`) into its parts. Anything else is treated as a path.
pub fn split_url(url: Text<'_>) -> UrlParts<'_> {
    let bytes = url.bytes;
    let mut rest_start = 0;
    let mut parts = UrlParts {
        user: None,
        password: None,
        host: None,
        path: url.slice(0..0),
        query: None,
        fragment: None,
    };
    let authority_start = match scheme_len(bytes) {
        Some(n) => Some(n + 3),
        None if bytes.starts_with(b"//") => Some(2),
        None => None,
    };
    if let Some(start) = authority_start {
        let end = bytes[start..]
            .iter()
            .position(|&b| matches!(b, b'/' | b'?' | b'#'))
            .map_or(bytes.len(), |p| start + p);
        let authority = &bytes[start..end];
        let host_start = memchr::memrchr(b'@', authority).map_or(start, |at| start + at + 1);
        // The port follows the last `:`, unless that is inside an IPv6 address (`[::1]`).
        let host_end = match memchr::memrchr(b':', &bytes[host_start..end]) {
            Some(colon) if !bytes[host_start + colon..end].contains(&b']') => host_start + colon,
            _ => end,
        };
        if host_end > host_start {
            parts.host = Some(url.slice(host_start..host_end));
        }
        if let Some(at) = memchr::memrchr(b'@', authority) {
            let userinfo = start..start + at;
            match memchr::memchr(b':', &bytes[userinfo.clone()]) {
                Some(colon) => {
                    parts.user = Some(url.slice(userinfo.start..userinfo.start + colon));
                    parts.password = Some(url.slice(userinfo.start + colon + 1..userinfo.end));
                }
                None => parts.user = Some(url.slice(userinfo)),
            }
        }
        rest_start = end;
    }
    let rest = &bytes[rest_start..];
    // `&#47;` is an HTML character reference in a copied URL, not the start of a fragment.
    let fragment_at = memchr::memchr_iter(b'#', rest)
        .find(|&p| !(p > 0 && rest[p - 1] == b'&' && super::html::entity(&rest[p..]).is_some()))
        .map(|p| rest_start + p);
    let before_fragment = fragment_at.unwrap_or(bytes.len());
    let query_at =
        memchr::memchr(b'?', &bytes[rest_start..before_fragment]).map(|p| rest_start + p);
    parts.path = url.slice(rest_start..query_at.unwrap_or(before_fragment));
    if let Some(q) = query_at {
        parts.query = Some(url.slice(q + 1..before_fragment));
    }
    if let Some(f) = fragment_at {
        parts.fragment = Some(url.slice(f + 1..bytes.len()));
    }
    parts
}

/// The length of a URL scheme (`https`) when `bytes` starts with `scheme://`.
pub fn scheme_len(bytes: &[u8]) -> Option<usize> {
    let first = *bytes.first()?;
    if !first.is_ascii_alphabetic() {
        return None;
    }
    let n = bytes
        .iter()
        .take(32)
        .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-')))?;
    bytes[n..].starts_with(b"://").then_some(n)
}

/// One `name=value` pair of a query string or matrix parameter list; `value` is `None` when there
/// was no `=`.
#[derive(Debug, Clone, Copy)]
pub struct Param<'a> {
    /// The raw name.
    pub name: Text<'a>,
    /// The raw value.
    pub value: Option<Text<'a>>,
}

/// The `name=value` pairs of a query string, split on `&`.
pub fn query_params<'a>(query: Text<'a>) -> impl Iterator<Item = Param<'a>> + 'a {
    split_pairs(query, |b| b == b'&')
}

/// The matrix parameters of a path: `name=value` pairs after `;` in any segment
/// (`/cart;jsessionid=ABC/items`).
pub fn matrix_params<'a>(path: Text<'a>) -> impl Iterator<Item = Param<'a>> + 'a {
    let bytes = path.bytes;
    let mut segments = Vec::new();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'/' {
            segments.push(start..i);
            start = i + 1;
        }
    }
    segments.push(start..bytes.len());
    segments.into_iter().flat_map(move |seg| {
        let seg_bytes = &bytes[seg.clone()];
        let first_semicolon = memchr::memchr(b';', seg_bytes);
        first_semicolon
            .map(|p| path.slice(seg.start + p + 1..seg.end))
            .into_iter()
            .flat_map(|params| split_pairs(params, |b| b == b';'))
    })
}

/// The length of the space before a cookie's name after `;`: blanks, and the `+` or `%20` that
/// IIS and CloudFront write for them.
pub fn cookie_space_len(pair: &[u8]) -> usize {
    let mut skip = 0;
    while skip < pair.len() {
        if pair[skip].is_ascii_whitespace() || pair[skip] == b'+' {
            skip += 1;
        } else if pair[skip..].starts_with(b"%20") {
            skip += 3;
        } else {
            break;
        }
    }
    skip
}

fn split_pairs<'a>(
    text: Text<'a>,
    is_separator: impl Fn(u8) -> bool + 'a,
) -> impl Iterator<Item = Param<'a>> + 'a {
    let bytes = text.bytes;
    let mut start = 0;
    let mut done = bytes.is_empty();
    std::iter::from_fn(move || loop {
        if done {
            return None;
        }
        // An `&` that starts a character reference (`&#x2F;`) is part of the value.
        let end = bytes[start..]
            .iter()
            .enumerate()
            .position(|(i, &b)| {
                is_separator(b)
                    && !(b == b'&' && super::html::is_escaped_character(&bytes[start + i + 1..]))
            })
            .map_or(bytes.len(), |p| start + p);
        let pair = start..end;
        if end >= bytes.len() {
            done = true;
        } else {
            start = end + 1;
        }
        // A URL that was HTML-escaped before it was logged separates with `&amp;` (or `&#38;`).
        let escaped = [&b"amp;"[..], b"#38;", b"#x26;"]
            .into_iter()
            .find(|entity| bytes[pair.clone()].starts_with(entity))
            .map_or(0, <[u8]>::len);
        let pair = pair.start + escaped..pair.end;
        if pair.is_empty() {
            continue;
        }
        let pair_bytes = &bytes[pair.clone()];
        let param = match memchr::memchr(b'=', pair_bytes) {
            Some(eq) => Param {
                name: text.slice(pair.start..pair.start + eq),
                value: Some(text.slice(pair.start + eq + 1..pair.end)),
            },
            None => Param {
                name: text.slice(pair),
                value: None,
            },
        };
        return Some(param);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Text<'_> {
        Text::raw(s.as_bytes(), 0)
    }

    #[test]
    fn absolute_url_with_userinfo() {
        let p = split_url(t("https://deploy:s3cr%40t@example.com/a/b?x=1&y=2#frag"));
        assert_eq!(p.user.unwrap().bytes, b"deploy");
        assert_eq!(p.password.unwrap().bytes, b"s3cr%40t");
        assert_eq!(p.path.bytes, b"/a/b");
        assert_eq!(p.query.unwrap().bytes, b"x=1&y=2");
        assert_eq!(p.fragment.unwrap().bytes, b"frag");
        assert_eq!(p.password.unwrap().origin_of(0), 15);
    }

    #[test]
    fn origin_form_target() {
        let p = split_url(t("/search?q=a%26b&key=1"));
        assert!(p.user.is_none());
        assert_eq!(p.path.bytes, b"/search");
        let params: Vec<_> = query_params(p.query.unwrap()).collect();
        assert_eq!(params.len(), 2);
        assert_eq!(params[0].value.unwrap().bytes, b"a%26b");
        assert_eq!(params[1].name.bytes, b"key");
        assert_eq!(params[1].name.origin_of(0), 16);
    }

    #[test]
    fn at_sign_in_path_is_not_userinfo() {
        let p = split_url(t("https://example.com/@user?x=a@b"));
        assert!(p.user.is_none());
        assert_eq!(p.path.bytes, b"/@user");
    }

    #[test]
    fn query_edge_cases() {
        let names: Vec<_> = query_params(t("&&a&=v&b=&c=d=e"))
            .map(|p| (p.name.bytes.to_vec(), p.value.map(|v| v.bytes.to_vec())))
            .collect();
        assert_eq!(
            names,
            vec![
                (b"a".to_vec(), None),
                (b"".to_vec(), Some(b"v".to_vec())),
                (b"b".to_vec(), Some(b"".to_vec())),
                (b"c".to_vec(), Some(b"d=e".to_vec())),
            ]
        );
    }

    #[test]
    fn html_escaped_separators() {
        let names: Vec<_> = query_params(t("a=1&amp;token=x&#38;b=2"))
            .map(|p| p.name.bytes.to_vec())
            .collect();
        assert_eq!(names, [b"a".to_vec(), b"token".to_vec(), b"b".to_vec()]);
    }

    #[test]
    fn matrix_parameters() {
        let params: Vec<_> = matrix_params(t("/shop;jsessionid=ABC123;lang=de/cart"))
            .map(|p| (p.name.bytes.to_vec(), p.value.unwrap().bytes.to_vec()))
            .collect();
        assert_eq!(
            params,
            vec![
                (b"jsessionid".to_vec(), b"ABC123".to_vec()),
                (b"lang".to_vec(), b"de".to_vec())
            ]
        );
    }

    #[test]
    fn scheme_detection() {
        assert_eq!(scheme_len(b"https://x"), Some(5));
        assert_eq!(scheme_len(b"/x://y"), None);
        assert_eq!(scheme_len(b"ab cd://"), None);
    }
}
