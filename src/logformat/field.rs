//! The names of the places in a log record where a value can be: the request path and query,
//! the referer, a header, a cookie, the message of an error line, … Parsers tag the spans they
//! find with them; findings carry them to the output.

/// Where in a log record a credential was found.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FieldName {
    /// The path of the request target (including matrix parameters).
    RequestPath,
    /// The query string of the request target.
    RequestQuery,
    /// A logged request body.
    RequestBody,
    /// The Referer header.
    Referer,
    /// An upstream URL (proxies, error logs).
    Upstream,
    /// A logged request header, by lowercase name.
    Header(String),
    /// A cookie.
    Cookie,
    /// The user-info part of a URL (`https://user:pass@host`).
    Userinfo,
    /// The free-text message of an error log line.
    Message,
    /// Anywhere else in the line.
    Line,
}

impl FieldName {
    /// The dotted name used in output, e.g. `request.query` or `header.user-agent`.
    pub fn to_output(&self) -> std::borrow::Cow<'static, str> {
        use std::borrow::Cow;
        Cow::Borrowed(match self {
            Self::RequestPath => "request.path",
            Self::RequestQuery => "request.query",
            Self::RequestBody => "request.body",
            Self::Referer => "referer",
            Self::Upstream => "upstream",
            Self::Header(name) => return Cow::Owned(format!("header.{name}")),
            Self::Cookie => "cookie",
            Self::Userinfo => "userinfo",
            Self::Message => "message",
            Self::Line => "line",
        })
    }
}
