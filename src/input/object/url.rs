//! Object-store URLs named as inputs: `s3://bucket/prefix`, `gs://bucket/prefix`,
//! `az://container/prefix`. Parsing only; compiled even without the `object-storage` feature so
//! that such an input is named with a clear message instead of being looked for on disk.

/// The kinds of object store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// Amazon S3 and S3-compatible stores (MinIO, Ceph RGW, R2).
    S3,
    /// Google Cloud Storage.
    Gs,
    /// Azure Blob Storage.
    Az,
}

impl Scheme {
    /// The URL scheme, as written before `://`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::S3 => "s3",
            Scheme::Gs => "gs",
            Scheme::Az => "az",
        }
    }
}

/// A bucket (or container) and a key or key prefix in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectUrl {
    /// Which store.
    pub scheme: Scheme,
    /// The bucket (S3, GCS) or container (Azure).
    pub bucket: String,
    /// The key or prefix, without a leading `/` (may be empty: the whole bucket).
    pub key: String,
}

impl ObjectUrl {
    /// Parses `text` when it starts with a known scheme: `None` for anything else (a path),
    /// `Some(Err)` for a URL of a known scheme that names no bucket.
    pub fn parse(text: &str) -> Option<Result<Self, String>> {
        let (scheme, rest) = text.split_once("://")?;
        let scheme = match scheme.to_ascii_lowercase().as_str() {
            "s3" | "s3a" => Scheme::S3,
            "gs" | "gcs" => Scheme::Gs,
            "az" | "azure" | "abfs" => Scheme::Az,
            _ => return None,
        };
        let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Some(Err(format!(
                "`{text}` names no bucket: write {}://BUCKET/PREFIX",
                scheme.as_str()
            )));
        }
        Some(Ok(ObjectUrl {
            scheme,
            bucket: bucket.to_string(),
            key: key.trim_start_matches('/').to_string(),
        }))
    }

    /// The URL of the object `key` in the same bucket, as findings name it.
    pub fn of_key(&self, key: &str) -> String {
        format!("{}://{}/{key}", self.scheme.as_str(), self.bucket)
    }
}

impl std::fmt::Display for ObjectUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.of_key(&self.key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_schemes_and_leaves_paths_alone() {
        let url = ObjectUrl::parse("s3://logs/AWSLogs/123/").unwrap().unwrap();
        assert_eq!(
            (url.scheme, url.bucket.as_str(), url.key.as_str()),
            (Scheme::S3, "logs", "AWSLogs/123/")
        );
        assert_eq!(url.to_string(), "s3://logs/AWSLogs/123/");
        let url = ObjectUrl::parse("gs://b").unwrap().unwrap();
        assert_eq!((url.scheme, url.key.as_str()), (Scheme::Gs, ""));
        let url = ObjectUrl::parse("az://container/x.log").unwrap().unwrap();
        assert_eq!(url.of_key("y.log"), "az://container/y.log");
        assert!(ObjectUrl::parse("s3:///key").unwrap().is_err());
        for path in ["logs/s3://x", "/var/log", "-", "http://host/x", "C:\\x"] {
            assert!(ObjectUrl::parse(path).is_none(), "{path}");
        }
    }
}
