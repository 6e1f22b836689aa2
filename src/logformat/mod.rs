//! Log formats: which shape a file's lines have, and how one line splits into the fields of a
//! record (client, time, request target, referer, headers, …).
//!
//! One file per family of formats; [`detect`] and [`Parser::for_input`] pick a file's format from
//! its first lines, [`Parser`] parses its lines (keeping what a format carries from line to line),
//! and [`custom`] compiles Apache `LogFormat` and nginx `log_format` strings.
//!
//! Parsers return byte ranges into the line and never decode; they know nothing about
//! credentials or rules.

mod apache_error;
mod aws;
mod clf;
mod cursor;
pub mod custom;
mod envoy;
mod field;
mod haproxy;
mod json;
mod message;
mod modsec;
mod nginx_error;
mod select;
mod squid;
mod time;
mod tomcat;
mod w3c;
mod wrap;

use std::ops::Range;
use std::sync::Arc;

pub use custom::CustomFormat;
pub use field::FieldName;
pub use select::{FormatChoice, FormatMap};
pub use time::{format_timestamp, TimeSyntax};
pub use wrap::Wrapper;

/// A log format that logleaks understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LogType {
    /// Apache/nginx `combined`: common plus referer and user agent.
    Combined,
    /// Apache `common` (NCSA).
    Common,
    /// Apache `vhost_combined`: `vhost:port` before combined.
    VhostCombined,
    /// Apache 2.2/2.4 `error_log`.
    ApacheError,
    /// nginx `error.log`, debug level included.
    NginxError,
    /// Microsoft IIS (and other W3C extended) logs, driven by `#Fields:`.
    Iis,
    /// AWS CloudFront standard logs (tab-separated W3C).
    Cloudfront,
    /// AWS Application Load Balancer.
    AwsAlb,
    /// AWS Classic Load Balancer.
    AwsElb,
    /// AWS S3 server access logs.
    AwsS3,
    /// HAProxy HTTP log format.
    Haproxy,
    /// Squid native `access.log` (or combined with Squid's status trailer).
    Squid,
    /// Tomcat/Jetty access logs (common/combined, or Atlassian's unquoted pattern).
    Tomcat,
    /// Envoy's default text access log.
    Envoy,
    /// Kubernetes ingress-nginx `upstreaminfo`.
    IngressNginx,
    /// Traefik's common log format (combined plus router, backend URL and duration).
    Traefik,
    /// lighttpd `accesslog` (combined with the host in place of ident).
    Lighttpd,
    /// Varnish `varnishncsa` (combined with absolute URLs).
    Varnishncsa,
    /// Any JSON object per line (nginx `escape=json`, application JSON).
    Json,
    /// Caddy JSON logs.
    Caddy,
    /// Traefik JSON access logs.
    TraefikJson,
    /// Envoy JSON access logs.
    EnvoyJson,
    /// Google Cloud HTTP(S) load balancer (Cloud Logging JSON).
    GcpLb,
    /// Cloudflare Logpush HTTP requests.
    Cloudflare,
    /// ModSecurity JSON audit log.
    ModsecurityJson,
    /// ModSecurity serial audit log (`--id-A--` … `--id-Z--` sections).
    ModsecurityAudit,
    /// Syslog lines (RFC 3164 or 5424) whose message has no known shape.
    Syslog,
    /// Kubernetes CRI container log lines whose content has no known shape.
    Cri,
    /// Docker `json-file` lines whose content has no known shape.
    Docker,
    /// `docker compose logs` lines (`service  | …`) whose content has no known shape.
    Compose,
    /// No known shape: lines are scanned as free text.
    Raw,
    /// A format given with `--log-format` or in the config file.
    Custom,
}

impl LogType {
    /// Every log type that can be named, in the order `--help` lists them.
    pub const ALL: [LogType; 31] = [
        Self::Combined,
        Self::Common,
        Self::VhostCombined,
        Self::ApacheError,
        Self::NginxError,
        Self::Iis,
        Self::Cloudfront,
        Self::AwsAlb,
        Self::AwsElb,
        Self::AwsS3,
        Self::Haproxy,
        Self::Squid,
        Self::Tomcat,
        Self::Envoy,
        Self::IngressNginx,
        Self::Traefik,
        Self::Lighttpd,
        Self::Varnishncsa,
        Self::Json,
        Self::Caddy,
        Self::TraefikJson,
        Self::EnvoyJson,
        Self::GcpLb,
        Self::Cloudflare,
        Self::ModsecurityJson,
        Self::ModsecurityAudit,
        Self::Syslog,
        Self::Cri,
        Self::Docker,
        Self::Compose,
        Self::Raw,
    ];

    /// The names of [`LogType::ALL`], in order (for `--help` and error messages).
    pub const NAMES: [&'static str; 31] = {
        let mut names = [""; 31];
        let mut i = 0;
        while i < 31 {
            names[i] = Self::ALL[i].name();
            i += 1;
        }
        names
    };

    /// The name used on the command line and in output.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Combined => "combined",
            Self::Common => "common",
            Self::VhostCombined => "vhost_combined",
            Self::ApacheError => "apache_error",
            Self::NginxError => "nginx_error",
            Self::Iis => "iis",
            Self::Cloudfront => "cloudfront",
            Self::AwsAlb => "aws_alb",
            Self::AwsElb => "aws_elb",
            Self::AwsS3 => "aws_s3",
            Self::Haproxy => "haproxy",
            Self::Squid => "squid",
            Self::Tomcat => "tomcat",
            Self::Envoy => "envoy",
            Self::IngressNginx => "ingress_nginx",
            Self::Traefik => "traefik",
            Self::Lighttpd => "lighttpd",
            Self::Varnishncsa => "varnishncsa",
            Self::Json => "json",
            Self::Caddy => "caddy",
            Self::TraefikJson => "traefik_json",
            Self::EnvoyJson => "envoy_json",
            Self::GcpLb => "gcp_lb",
            Self::Cloudflare => "cloudflare",
            Self::ModsecurityJson => "modsecurity_json",
            Self::ModsecurityAudit => "modsecurity_audit",
            Self::Syslog => "syslog",
            Self::Cri => "cri",
            Self::Docker => "docker",
            Self::Compose => "compose",
            Self::Raw => "raw",
            Self::Custom => "custom",
        }
    }

    /// Other names users give a type, and the type they mean: nginx's default `access_log`
    /// format is Apache's `combined`.
    pub const ALIASES: [(&'static str, LogType); 1] = [("nginx", Self::Combined)];

    /// Looks a type up by its name or one of its [`LogType::ALIASES`].
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.name() == name)
            .or_else(|| {
                Self::ALIASES
                    .iter()
                    .find(|(alias, _)| *alias == name)
                    .map(|(_, t)| *t)
            })
    }

    /// True when a line can only be understood with lines before it (such files are scanned
    /// sequentially, never split into blocks).
    pub fn carries_state(self) -> bool {
        matches!(
            self,
            Self::Iis | Self::Cloudfront | Self::ModsecurityAudit | Self::Cri | Self::Docker
        )
    }

    /// True when the format writes field names as `"name":` (JSON) or `Name: value` (logged
    /// headers) rather than `name=value`.
    pub fn names_fields(self) -> bool {
        self.is_json()
            || matches!(
                self,
                Self::ModsecurityAudit
                    | Self::NginxError
                    | Self::ApacheError
                    | Self::Docker
                    | Self::Cri
                    | Self::Compose
                    | Self::Syslog
            )
    }

    /// The wrapper a wrapper type stands for.
    pub fn wrapper(self) -> Option<Wrapper> {
        match self {
            Self::Syslog => Some(Wrapper::Syslog),
            Self::Cri => Some(Wrapper::Cri),
            Self::Docker => Some(Wrapper::Docker),
            Self::Compose => Some(Wrapper::Compose),
            _ => None,
        }
    }

    /// True for the JSON-per-line types.
    pub fn is_json(self) -> bool {
        matches!(
            self,
            Self::Json
                | Self::Caddy
                | Self::TraefikJson
                | Self::EnvoyJson
                | Self::GcpLb
                | Self::Cloudflare
                | Self::ModsecurityJson
        )
    }
}

/// How a field's bytes are to be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shape {
    /// An HTTP request target: its path is `request.path`, its query `request.query`.
    RequestTarget,
    /// A whole URL, reported under the field's own name (referer, upstream).
    Url,
    /// Free text that may hold `name=value` pairs and URLs.
    Text,
    /// A bare query string (`a=1&b=2`), e.g. IIS `cs-uri-query`.
    Query,
    /// The value of the request header with this lowercase name.
    Header(String),
    /// A Cookie header value: `name=value` pairs separated by `;`.
    Cookie,
    /// A value under a known name (e.g. a JSON field `"password"`).
    Value(String),
}

/// Escaping that applies to a whole field before any other decoding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Escaping {
    /// The log's own `\xHH`, `\"` escapes (undone per value).
    #[default]
    Log,
    /// JSON string escapes (`\u0026`, `\/`, `\"`).
    Json,
}

/// One part of a record that may hold a credential.
#[derive(Clone, Debug)]
pub struct Field {
    /// What the field is called in findings.
    pub name: FieldName,
    /// Where it is in the line.
    pub span: Range<usize>,
    /// How to read it.
    pub shape: Shape,
    /// Escaping to undo first.
    pub escaping: Escaping,
}

impl Field {
    /// A field with the log's own escaping.
    pub fn new(name: FieldName, span: Range<usize>, shape: Shape) -> Self {
        Field {
            name,
            span,
            shape,
            escaping: Escaping::Log,
        }
    }

    /// A request header by (any-case) name: `Cookie` as cookies, `Referer` as a URL, others as
    /// header values.
    pub fn header(name: &[u8], span: Range<usize>) -> Self {
        let lower = String::from_utf8_lossy(name).trim().to_ascii_lowercase();
        match lower.as_str() {
            "cookie" => Field::new(FieldName::Cookie, span, Shape::Cookie),
            "referer" | "referrer" => Field::new(FieldName::Referer, span, Shape::Url),
            _ => Field::new(FieldName::Header(lower.clone()), span, Shape::Header(lower)),
        }
    }
}

/// One log line split into what logleaks needs from it; ranges index into the line.
#[derive(Clone, Debug, Default)]
pub struct Record {
    /// Client address.
    pub client: Option<Range<usize>>,
    /// The timestamp and its syntax.
    pub time: Option<(TimeSyntax, Range<usize>)>,
    /// HTTP method.
    pub method: Option<Range<usize>>,
    /// HTTP status.
    pub status: Option<u16>,
    /// HTTP protocol (`HTTP/1.1`).
    pub protocol: Option<Range<usize>>,
    /// Response size in bytes, when logged.
    pub size: Option<u64>,
    /// User agent.
    pub user_agent: Option<Range<usize>>,
    /// The host the request was sent to (virtual host, `host:` of nginx errors), when the
    /// format logs it apart from the fields (a logged `Host` header is one of the fields).
    pub host: Option<Range<usize>>,
    /// The fields to scan for credentials.
    pub fields: Vec<Field>,
}

impl Record {
    /// A record for a line of unknown shape: the whole line is free text.
    pub fn raw(line: &[u8]) -> Self {
        Record {
            fields: vec![Field::new(FieldName::Line, 0..line.len(), Shape::Text)],
            ..Record::default()
        }
    }

    /// Adds a field unless its span is empty or `-`.
    pub(crate) fn push(&mut self, line: &[u8], field: Field) {
        let bytes = &line[field.span.clone()];
        if !bytes.is_empty() && bytes != b"-" {
            self.fields.push(field);
        }
    }

    /// Splits an HTTP request line (`METHOD target PROTOCOL`) into method and request target;
    /// a request line of any other shape (binary junk, a bare path) is scanned as text.
    pub(crate) fn add_request_line(&mut self, line: &[u8], request: Range<usize>) {
        let bytes = &line[request.clone()];
        let first_space = memchr::memchr(b' ', bytes);
        match first_space {
            Some(sp) if cursor::is_method(&bytes[..sp]) => {
                let mut target_end = bytes.len();
                if let Some(last) = memchr::memrchr(b' ', bytes) {
                    // `HTTP\/1.1` in JSON logs that escape slashes.
                    let protocol = &bytes[last + 1..];
                    if last > sp
                        && (protocol.starts_with(b"HTTP/") || protocol.starts_with(b"HTTP\\/"))
                    {
                        target_end = last;
                        self.protocol = Some(request.start + last + 1..request.end);
                    }
                }
                if self.method.is_none() {
                    self.method = Some(request.start..request.start + sp);
                }
                let target = request.start + sp + 1..request.start + target_end;
                self.push(
                    line,
                    Field::new(FieldName::RequestPath, target, Shape::RequestTarget),
                );
            }
            _ => self.push(line, Field::new(FieldName::Line, request, Shape::Text)),
        }
    }

    /// Sets the user agent and scans it as the `user-agent` header.
    pub(crate) fn add_user_agent(&mut self, line: &[u8], span: Range<usize>) {
        if self.user_agent.is_none() {
            self.user_agent = Some(span.clone());
        }
        self.push(
            line,
            Field::new(FieldName::Header("user-agent".into()), span, Shape::Text),
        );
    }

    /// Moves every range by `offset` (for a line found at `offset` inside a wrapper).
    pub(crate) fn shift(&mut self, offset: usize) {
        self.map_ranges(|r| r.start + offset..r.end + offset);
    }

    /// Applies `f` to every range of the record.
    pub(crate) fn map_ranges(&mut self, f: impl Fn(Range<usize>) -> Range<usize>) {
        for r in [
            &mut self.client,
            &mut self.method,
            &mut self.user_agent,
            &mut self.host,
        ]
        .into_iter()
        .flatten()
        {
            *r = f(r.clone());
        }
        if let Some((_, r)) = &mut self.time {
            *r = f(r.clone());
        }
        for field in &mut self.fields {
            field.span = f(field.span.clone());
        }
    }
}

/// Parses `line` as `log_type` without any state from earlier lines (formats driven by a header,
/// like IIS, use their default fields); `None` when the line does not have that shape.
pub fn parse(log_type: LogType, line: &[u8]) -> Option<Record> {
    match log_type {
        LogType::Combined | LogType::Lighttpd | LogType::Varnishncsa => {
            clf::parse(line, clf::Variant::Combined)
        }
        LogType::Common => clf::parse(line, clf::Variant::Common),
        LogType::VhostCombined => clf::parse(line, clf::Variant::VhostCombined),
        LogType::IngressNginx => clf::parse(line, clf::Variant::IngressNginx),
        LogType::Traefik => clf::parse(line, clf::Variant::Traefik),
        LogType::Tomcat => tomcat::parse(line),
        LogType::ApacheError => apache_error::parse(line),
        LogType::NginxError => nginx_error::parse(line),
        LogType::Iis | LogType::Cloudfront => w3c::parse_default(log_type, line),
        LogType::AwsAlb => aws::parse_alb(line),
        LogType::AwsElb => aws::parse_elb(line),
        LogType::AwsS3 => aws::parse_s3(line),
        LogType::Haproxy => haproxy::parse(line),
        LogType::Squid => squid::parse(line),
        LogType::Envoy => envoy::parse(line),
        t if t.is_json() => json::parse(line)
            .filter(|(_, flavor)| t == LogType::Json || *flavor == t)
            .map(|(record, _)| record),
        LogType::ModsecurityAudit => modsec::parse_stateless(line),
        LogType::Syslog | LogType::Cri | LogType::Docker | LogType::Compose => {
            let wrapper = log_type.wrapper()?;
            let unwrapped = wrap::unwrap(wrapper, line)?;
            Some(
                unwrapped
                    .lift(line, |inner| select::parse_any(inner).map(|(r, _)| r))
                    .0,
            )
        }
        _ => None,
    }
}

/// How a line was read by [`Parser::parse_reading`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading {
    /// In the input's own format, with all of that format's required fields.
    Own,
    /// In another known format (a JSON line in an access log): its fields are read as such.
    Other,
    /// As text: no known format, or only a wrapper (syslog, container) around text.
    Text,
}

/// Parses the lines of one input in one format, keeping what the format carries from line to
/// line (IIS `#Fields:`, ModSecurity sections, partial container lines). Lines of another shape
/// are given a second chance with every known format before they are scanned as text.
#[derive(Clone, Debug)]
pub struct Parser {
    /// The format of the lines (inside the wrapper, if any).
    log_type: LogType,
    /// The wrapper around every line, if any.
    wrapper: Option<Wrapper>,
    /// The compiled format, for [`LogType::Custom`].
    custom: Option<Arc<CustomFormat>>,
    /// Try every format on a line that does not have the file's.
    fallback: bool,
    state: State,
}

/// What a stateful format remembers.
#[derive(Clone, Debug, Default)]
struct State {
    w3c: w3c::State,
    modsec: modsec::State,
    wrap: wrap::State,
}

impl Parser {
    /// A parser for `log_type` (with no wrapper unless the type is a wrapper type).
    pub fn new(log_type: LogType) -> Self {
        Parser {
            log_type: if log_type.wrapper().is_some() {
                LogType::Raw
            } else {
                log_type
            },
            wrapper: log_type.wrapper(),
            custom: None,
            fallback: true,
            state: State::default(),
        }
    }

    /// A parser for lines in `log_type` inside `wrapper`.
    pub fn wrapped(wrapper: Option<Wrapper>, log_type: LogType) -> Self {
        Parser {
            wrapper,
            ..Parser::new(log_type)
        }
    }

    /// A parser for a custom format.
    pub fn custom(format: Arc<CustomFormat>) -> Self {
        Parser {
            custom: Some(format),
            ..Parser::new(LogType::Custom)
        }
    }

    /// The parser for an input whose first bytes are `head`: the format chosen by the user (a
    /// forced type, a custom format), or else the one detected from the head.
    pub fn for_input(choice: Option<&FormatChoice>, head: &[u8]) -> Self {
        match choice {
            Some(FormatChoice::Custom(format)) => Parser::custom(format.clone()),
            Some(FormatChoice::Type(t)) => select::forced(*t, head),
            None => select::detect_parser(head),
        }
    }

    /// The log type of the lines (inside the wrapper); for a wrapper alone, the wrapper's type.
    pub fn log_type(&self) -> LogType {
        match (self.log_type, self.wrapper) {
            (LogType::Raw, Some(w)) => w.log_type(),
            (t, _) => t,
        }
    }

    /// The wrapper around the lines, if any.
    pub fn wrapper(&self) -> Option<Wrapper> {
        self.wrapper
    }

    /// The name of the file's format, e.g. `haproxy` or `haproxy in syslog`.
    pub fn describe(&self) -> String {
        match (self.log_type, self.wrapper) {
            (LogType::Raw, Some(w)) => w.log_type().name().to_string(),
            (t, Some(w)) => format!("{} in {}", t.name(), w.log_type().name()),
            (t, None) => t.name().to_string(),
        }
    }

    /// Turns the per-line second chance off (then a line either has the file's format or is text).
    pub fn without_fallback(mut self) -> Self {
        self.fallback = false;
        self
    }

    /// True when every line must be shown to [`Parser::observe`] in order, because later lines
    /// depend on earlier ones; such inputs are scanned sequentially.
    pub fn carries_state(&self) -> bool {
        self.log_type.carries_state() || self.wrapper.is_some_and(Wrapper::carries_state)
    }

    /// True when a line may hold a credential under a name that is not written in the line
    /// itself (a custom format's `%{X-Api-Key}i` or `$http_authorization` column): a fast path
    /// that looks for `name=` in the line cannot rule such lines out, so every line should be
    /// parsed and checked.
    pub fn needs_every_line(&self) -> bool {
        self.custom.as_ref().is_some_and(|c| c.has_named_fields())
            || matches!(
                self.log_type,
                LogType::Iis | LogType::Cloudfront | LogType::Haproxy
            )
    }

    /// True when the lines' format names fields as `"name":` or `Name: value` (see
    /// [`LogType::names_fields`]).
    pub fn names_fields(&self) -> bool {
        self.log_type.names_fields()
    }

    /// True when some line may be read in a format that names fields as `"name":` or
    /// `Name: value`: the file's own format does, or a line that does not have it is given the
    /// second chance with every format (a JSON line in a text log). The fast path must then
    /// know those forms too, or it would skip lines the parser finds credentials in.
    pub fn may_name_fields(&self) -> bool {
        self.fallback || self.names_fields()
    }

    /// Shows the parser a line, in order (only needed when [`Parser::carries_state`]).
    pub fn observe(&mut self, line: &[u8]) {
        let Some(wrapper) = self.wrapper else {
            self.observe_inner(line);
            return;
        };
        let unwrapped = wrap::unwrap(wrapper, line);
        self.state.wrap.observe(unwrapped.as_ref());
        if let Some(u) = unwrapped.filter(|_| !self.state.wrap.continuation) {
            let inner = u.inner_bytes(line).into_owned();
            self.observe_inner(&inner);
        }
    }

    fn observe_inner(&mut self, line: &[u8]) {
        match self.log_type {
            LogType::Iis | LogType::Cloudfront => self.state.w3c.observe(line),
            LogType::ModsecurityAudit => self.state.modsec.observe(line),
            _ => {}
        }
    }

    /// Parses a line: the record and the log type it was parsed as, or `None` when the line has
    /// no known shape (it is then scanned as text).
    pub fn parse(&mut self, line: &[u8]) -> Option<(Record, LogType)> {
        self.parse_reading(line).0
    }

    /// Parses a line as [`Parser::parse`] does, and says how it was read.
    pub fn parse_reading(&mut self, line: &[u8]) -> (Option<(Record, LogType)>, Reading) {
        if let Some((parsed, own)) = self.parse_own(line) {
            let reading = if own {
                Reading::Own
            } else if parsed.1.wrapper().is_none() {
                Reading::Other
            } else {
                Reading::Text
            };
            return (Some(parsed), reading);
        }
        if self.fallback {
            if let Some(parsed) = select::parse_any(line) {
                let reading = if parsed.1.wrapper().is_none() {
                    Reading::Other
                } else {
                    Reading::Text
                };
                return (Some(parsed), reading);
            }
        }
        (None, Reading::Text)
    }

    fn parse_own(&mut self, line: &[u8]) -> Option<((Record, LogType), bool)> {
        let Some(wrapper) = self.wrapper else {
            if let Some(record) = self.parse_inner(line) {
                return Some(((record, self.log_type), true));
            }
            // A line of the file's format in a wrapper the other lines do not have.
            if self.log_type == LogType::Raw || self.log_type.carries_state() {
                return None;
            }
            let unwrapped = wrap::unwrap(wrap::sniff(line)?, line)?;
            let (record, parsed) = unwrapped.lift(line, |inner| self.parse_inner(inner));
            return parsed.then_some(((record, self.log_type), true));
        };
        let unwrapped = wrap::unwrap(wrapper, line)?;
        if self.state.wrap.continuation {
            // The rest of a line split by the container runtime: text, in its wrapper.
            let (record, _) = unwrapped.lift(line, |_| None);
            return Some(((record, wrapper.log_type()), true));
        }
        let mut inner_type = self.log_type;
        let (record, inner_parsed) = unwrapped.lift(line, |inner| {
            if self.log_type == LogType::Raw {
                return None;
            }
            self.parse_inner(inner)
        });
        if inner_parsed {
            return Some(((record, inner_type), true));
        }
        // A wrapped line of another shape: any known format, else text in its wrapper.
        let (record, other) = unwrapped.lift(line, |inner| {
            select::parse_any(inner).map(|(r, t)| {
                inner_type = t;
                r
            })
        });
        let parsed_as = if other {
            inner_type
        } else {
            wrapper.log_type()
        };
        Some(((record, parsed_as), self.log_type == LogType::Raw))
    }

    fn parse_inner(&self, line: &[u8]) -> Option<Record> {
        match self.log_type {
            LogType::Custom => self.custom.as_ref()?.parse(line),
            LogType::Iis | LogType::Cloudfront => self.state.w3c.parse(self.log_type, line),
            LogType::ModsecurityAudit => self.state.modsec.parse(line),
            t => parse(t, line),
        }
    }
}

/// How many of the first lines of a file are looked at to detect its format.
pub const DETECT_LINES: usize = 64;

/// Most bytes read ahead of the first block of an input for detection.
pub const DETECT_BYTES: usize = 64 * 1024;

/// The start of a block that format detection looks at: its first [`DETECT_LINES`] lines, at
/// most [`DETECT_BYTES`], as [`read_detection_head`] reads ahead.
pub fn detection_head(block: &[u8]) -> &[u8] {
    // The NUL bytes logrotate's `copytruncate` leaves in front of a log say nothing of its format.
    let block = &block[leading_nuls(block)..];
    let head = &block[..block.len().min(DETECT_BYTES)];
    match memchr::memchr_iter(b'\n', head).nth(DETECT_LINES - 1) {
        Some(end) => &head[..=end],
        None if head.len() < block.len() => match memchr::memrchr(b'\n', head) {
            Some(end) => &head[..=end],
            None => head,
        },
        None => head,
    }
}

/// An input's first [`DETECT_LINES`] lines (at most [`DETECT_BYTES`]), read ahead for format
/// detection, and the input itself, which gives them back first.
pub struct DetectionHead<'a> {
    /// The first lines, the last one whole even without a line ending when the input ends
    /// there (a block reader holds such a line back until it sees the end, so the first block
    /// may lack it). NUL bytes at the very start of the input (left by logrotate's
    /// `copytruncate`) are not part of it, however many there are.
    pub head: Vec<u8>,
    /// The whole input, from its first byte.
    pub reader: Box<dyn std::io::Read + 'a>,
}

/// How many NUL bytes `bytes` starts with.
fn leading_nuls(bytes: &[u8]) -> usize {
    bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len())
}

/// Reads ahead up to [`DETECT_LINES`] lines (at most [`DETECT_BYTES`]) after any NUL bytes the
/// input starts with, and gives everything back first: what [`Parser::for_input`] needs, however
/// little the input's first read returns. The leading NULs are counted, not kept, so memory
/// stays bounded. A read error is returned again after the bytes read before it.
pub fn read_detection_head<'a>(mut reader: Box<dyn std::io::Read + 'a>) -> DetectionHead<'a> {
    use std::io::Read;
    let mut head = vec![0u8; DETECT_BYTES];
    let mut len = 0;
    let mut lines = 0;
    let mut nuls = 0u64;
    let error = loop {
        if len == head.len() || lines >= DETECT_LINES {
            break None;
        }
        match reader.read(&mut head[len..]) {
            Ok(0) => break None,
            Ok(n) => {
                let read = if len == 0 {
                    // Still in the NULs the input starts with: count them and read on.
                    let skip = leading_nuls(&head[..n]);
                    nuls += skip as u64;
                    head.copy_within(skip..n, 0);
                    0..n - skip
                } else {
                    len..len + n
                };
                lines += memchr::memchr_iter(b'\n', &head[read.clone()]).count();
                len = read.end;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            // A live input's writer paused: detect from the lines so far.
            Err(e) if crate::input::is_pause(&e) => break None,
            Err(e) => break Some(e),
        }
    };
    head.truncate(len);
    let replay = std::io::repeat(0)
        .take(nuls)
        .chain(std::io::Cursor::new(head.clone()));
    let reader: Box<dyn Read + 'a> = match error {
        None => Box::new(replay.chain(reader)),
        Some(e) => Box::new(replay.chain(FailingReader(Some(e)))),
    };
    DetectionHead { head, reader }
}

/// A reader that fails once with the error it holds, then ends.
struct FailingReader(Option<std::io::Error>);

impl std::io::Read for FailingReader {
    fn read(&mut self, _buf: &mut [u8]) -> std::io::Result<usize> {
        match self.0.take() {
            Some(e) => Err(e),
            None => Ok(0),
        }
    }
}

/// Detects a file's format from its first bytes: the type that parses most of the first
/// [`DETECT_LINES`] non-empty lines (the more specific one on a tie), or [`LogType::Raw`]. For a
/// wrapped format, the type inside the wrapper (or the wrapper's type when the content has no
/// known shape).
pub fn detect(head: &[u8]) -> LogType {
    select::detect_parser(head).log_type()
}

/// For tests of the parsers: each field of `record` as (output name, its text in `line`).
#[cfg(test)]
pub(crate) fn field_texts(line: &str, record: &Record) -> Vec<(String, String)> {
    record
        .fields
        .iter()
        .map(|f| {
            (
                f.name.to_output().into_owned(),
                line[f.span.clone()].to_string(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMBINED: &str = r#"203.0.113.9 - - [27/Nov/2026:10:00:00 +0000] "GET /a?b=c HTTP/1.1" 200 12 "https://ref.example/" "Mozilla/5.0""#;
    const COMMON: &str =
        r#"203.0.113.9 - frank [27/Nov/2026:10:00:00 +0000] "GET /a HTTP/1.0" 200 2326"#;
    const VHOST: &str = r#"www.example.com:443 203.0.113.9 - - [27/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 12 "-" "curl/8.0""#;

    #[test]
    fn detects_each_access_format() {
        assert_eq!(
            detect(format!("{COMBINED}\n{COMBINED}\n").as_bytes()),
            LogType::Combined
        );
        assert_eq!(detect(format!("{COMMON}\n").as_bytes()), LogType::Common);
        assert_eq!(
            detect(format!("{VHOST}\r\n{VHOST}").as_bytes()),
            LogType::VhostCombined
        );
        assert_eq!(detect(b"hello world\nnot a log\n"), LogType::Raw);
        assert_eq!(detect(b""), LogType::Raw);
    }

    #[test]
    fn detection_tolerates_junk_lines() {
        let head = format!("# comment\n\0\0\0\ngarbage\n{COMBINED}\n{COMBINED}\n");
        assert_eq!(detect(head.as_bytes()), LogType::Combined);
    }

    #[test]
    fn names_round_trip() {
        for t in LogType::ALL {
            assert_eq!(LogType::from_name(t.name()), Some(t));
        }
        assert_eq!(LogType::NAMES.len(), LogType::ALL.len());
        assert_eq!(LogType::from_name("custom"), None);
    }

    /// A reader that gives one byte per read, then fails.
    struct Trickle(Vec<u8>, usize);

    impl std::io::Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            match self.0.get(self.1) {
                Some(&b) if !buf.is_empty() => {
                    buf[0] = b;
                    self.1 += 1;
                    Ok(1)
                }
                Some(_) => Ok(0),
                None => Err(std::io::Error::other("gone")),
            }
        }
    }

    #[test]
    fn the_detection_head_holds_the_first_lines_and_keeps_errors() {
        use std::io::Read;
        let text = format!("{COMBINED}\n{COMBINED}\n");
        let DetectionHead { head, mut reader } =
            read_detection_head(Box::new(Trickle(text.clone().into_bytes(), 0)));
        assert_eq!(head, text.as_bytes());
        let mut first = vec![0u8; 4096];
        let n = reader.read(&mut first).unwrap();
        assert_eq!(&first[..n], text.as_bytes());
        assert_eq!(detect(&first[..n]), LogType::Combined);
        let mut rest = Vec::new();
        assert!(reader.read_to_end(&mut rest).is_err());
    }

    #[test]
    fn a_line_of_another_format_gets_a_second_chance() {
        let mut parser = Parser::new(LogType::Combined);
        let error = "2026/11/27 10:00:00 [error] 12#12: *3 open() failed, client: 203.0.113.9, server: shop, request: \"GET /x?token=abc HTTP/1.1\", host: \"shop\"";
        let (_, t) = parser.parse(error.as_bytes()).unwrap();
        assert_eq!(t, LogType::NginxError);
        let mut strict = Parser::new(LogType::Combined).without_fallback();
        assert!(strict.parse(error.as_bytes()).is_none());
        assert_eq!(strict.parse_reading(COMBINED.as_bytes()).1, Reading::Own);
        assert_eq!(parser.parse_reading(error.as_bytes()).1, Reading::Other);
        assert_eq!(parser.parse_reading(b"free text").1, Reading::Text);
    }

    #[test]
    fn nuls_in_front_of_a_log_are_given_back_but_not_detected() {
        use std::io::Read;
        let mut text = vec![0u8; 3 * DETECT_BYTES + 7];
        let nuls = text.len();
        for _ in 0..3 {
            text.extend_from_slice(COMBINED.as_bytes());
            text.push(b'\n');
        }
        let DetectionHead { head, mut reader } =
            read_detection_head(Box::new(std::io::Cursor::new(text.clone())));
        assert!(head.starts_with(COMBINED.as_bytes()));
        assert_eq!(detect(&head), LogType::Combined);
        let mut back = Vec::new();
        reader.read_to_end(&mut back).unwrap();
        assert_eq!(back, text, "every byte comes back, the NULs first");
        assert_eq!(detect(detection_head(&text)), LogType::Combined);
        assert!(detection_head(&text[..nuls]).is_empty());
    }
}
