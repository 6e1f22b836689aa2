//! Connecting to object stores: one client per bucket, credentials from the standard chains
//! (environment variables, web identity, container and instance credentials), `--endpoint-url`
//! or `AWS_ENDPOINT_URL` for S3-compatible stores, and anonymous access on request. All
//! requests run on one small async runtime that the rest of logleaks reaches by blocking calls.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use object_store::{ClientOptions, ObjectStore, RetryConfig};

use super::url::{ObjectUrl, Scheme};
use super::ObjectOptions;

/// The runtime every request runs on: two threads are plenty to keep many downloads going.
pub fn runtime() -> Result<&'static tokio::runtime::Runtime, String> {
    static RUNTIME: OnceLock<Result<tokio::runtime::Runtime, String>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("logleaks-objects")
                .enable_all()
                .build()
                .map_err(|e| format!("cannot start the object-store runtime: {e}"))
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// Clients already made in this run, by scheme and bucket.
type Clients = HashMap<(&'static str, String), Arc<dyn ObjectStore>>;

/// The client for the bucket of `url`, made once per run.
pub fn client(url: &ObjectUrl, options: &ObjectOptions) -> Result<Arc<dyn ObjectStore>, String> {
    static CLIENTS: OnceLock<Mutex<Clients>> = OnceLock::new();
    let key = (url.scheme.as_str(), url.bucket.clone());
    let mut clients = CLIENTS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(client) = clients.get(&key) {
        return Ok(client.clone());
    }
    let client = build(url, options)?;
    clients.insert(key, client.clone());
    Ok(client)
}

/// Retries of a failed request: a few, quickly, so that an unreachable store is reported in
/// seconds rather than minutes.
fn retry() -> RetryConfig {
    RetryConfig {
        max_retries: 3,
        retry_timeout: Duration::from_secs(20),
        ..RetryConfig::default()
    }
}

/// HTTP settings: no limit on how long a download of a large object takes, but a connection
/// must open quickly; plain HTTP only when the endpoint says `http://`.
fn client_options(endpoint: Option<&str>) -> ClientOptions {
    ClientOptions::new()
        .with_timeout_disabled()
        .with_connect_timeout(Duration::from_secs(10))
        .with_allow_http(endpoint.is_some_and(|e| e.starts_with("http://")))
}

fn build(url: &ObjectUrl, options: &ObjectOptions) -> Result<Arc<dyn ObjectStore>, String> {
    let failed = |e: object_store::Error| {
        format!(
            "cannot set up the {} client for bucket {}: {e}",
            url.scheme.as_str(),
            url.bucket
        )
    };
    let env_endpoint = std::env::var("AWS_ENDPOINT_URL").ok();
    let store: Arc<dyn ObjectStore> = match url.scheme {
        Scheme::S3 => {
            let endpoint = options.endpoint_url.clone().or(env_endpoint);
            let mut builder = object_store::aws::AmazonS3Builder::from_env()
                .with_bucket_name(&url.bucket)
                .with_retry(retry())
                .with_client_options(client_options(endpoint.as_deref()))
                .with_skip_signature(options.anonymous);
            if let Some(endpoint) = &endpoint {
                builder = builder.with_endpoint(endpoint);
            }
            let region_set = ["AWS_REGION", "AWS_DEFAULT_REGION"]
                .iter()
                .any(|v| std::env::var_os(v).is_some());
            if !region_set && endpoint.is_none() {
                // The bucket's own region, asked of S3 (one request); us-east-1 if it will not say.
                let region = runtime()?.block_on(object_store::aws::resolve_bucket_region(
                    &url.bucket,
                    &client_options(None),
                ));
                if let Ok(region) = region {
                    builder = builder.with_region(region);
                }
            }
            Arc::new(builder.build().map_err(failed)?)
        }
        Scheme::Gs => {
            let mut builder = object_store::gcp::GoogleCloudStorageBuilder::from_env()
                .with_bucket_name(&url.bucket)
                .with_retry(retry())
                .with_client_options(client_options(options.endpoint_url.as_deref()))
                .with_skip_signature(options.anonymous);
            if let Some(endpoint) = &options.endpoint_url {
                builder = builder.with_base_url(endpoint);
            }
            Arc::new(builder.build().map_err(failed)?)
        }
        Scheme::Az => {
            let mut builder = object_store::azure::MicrosoftAzureBuilder::from_env()
                .with_container_name(&url.bucket)
                .with_retry(retry())
                .with_client_options(client_options(options.endpoint_url.as_deref()))
                .with_skip_signature(options.anonymous);
            if let Some(endpoint) = &options.endpoint_url {
                builder = builder.with_endpoint(endpoint.clone());
            }
            Arc::new(builder.build().map_err(failed)?)
        }
    };
    Ok(store)
}

/// A message for a failed request, on one line, starting with the words `--errors-json` kinds
/// are read from (`not found:`, `access denied:`), then what the store said: its error code and
/// message when it sent one, else the client's error without timings.
pub fn describe(error: &object_store::Error) -> String {
    use object_store::Error;
    let said = store_said(&error.to_string());
    let lower = said.to_ascii_lowercase();
    match error {
        Error::NotFound { .. } => format!("not found: {said}"),
        Error::PermissionDenied { .. } | Error::Unauthenticated { .. } => {
            format!("access denied: {said}")
        }
        _ if lower.contains("nosuchbucket") || lower.contains("404 not found") => {
            format!("not found: {said}")
        }
        _ if [
            "accessdenied",
            "403 forbidden",
            "invalidaccesskeyid",
            "signaturedoesnotmatch",
        ]
        .iter()
        .any(|w| lower.contains(w)) =>
        {
            format!("access denied: {said}")
        }
        _ => said,
    }
}

/// The gist of a client error: the `<Code>` and `<Message>` of an S3-style XML error body when
/// there is one, else the text on one line with its request timings left out (so that messages
/// are the same from run to run).
fn store_said(text: &str) -> String {
    let element = |name: &str| {
        let open = format!("<{name}>");
        let start = text.find(&open)? + open.len();
        let end = text[start..].find('<')? + start;
        Some(&text[start..end])
    };
    if let Some(code) = element("Code") {
        let status = text
            .find("status code: ")
            .and_then(|at| text[at + 13..].split(':').next())
            .map(|s| format!(" (HTTP {})", s.trim()))
            .unwrap_or_default();
        // Azure adds lines with a request id and a time to its message: its first line says it.
        let message = element("Message").and_then(|m| m.lines().next());
        return match message {
            Some(message) => format!("{code}: {}{status}", message.trim()),
            None => format!("{code}{status}"),
        };
    }
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    static TIMING: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    match TIMING.get_or_init(|| regex::Regex::new(r" in [0-9.]+(?:[mµn]?s)+").ok()) {
        Some(timing) => timing.replace_all(&one_line, "").into_owned(),
        None => one_line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_errors_are_one_line_without_timings() {
        let xml = "Generic S3 error: Error performing list request: Error performing GET http://h/b?list-type=2 in 237.8ms - Server returned non-2xx status code: 404 Not Found: <?xml version=\"1.0\"?>\n<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><RequestId>x</RequestId></Error>";
        assert_eq!(
            store_said(xml),
            "NoSuchBucket: The specified bucket does not exist (HTTP 404 Not Found)"
        );
        let azure = "Generic MicrosoftAzure error: Server returned non-2xx status code: 404 Not Found: <?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Error>\n  <Code>ContainerNotFound</Code>\n  <Message>The specified container does not exist.\nRequestId:c5afb964-25d8\nTime:2026-12-05T00:02:09.154Z</Message>\n</Error>";
        assert_eq!(
            store_said(azure),
            "ContainerNotFound: The specified container does not exist. (HTTP 404 Not Found)"
        );
        let plain = "Generic S3 error: Error performing GET http://h/b in 2.01s, after 3 retries\n - HTTP error: connection refused";
        assert_eq!(
            store_said(plain),
            "Generic S3 error: Error performing GET http://h/b, after 3 retries - HTTP error: connection refused"
        );
    }
}
