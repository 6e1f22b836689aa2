//! Object storage as input: `s3://`, `gs://` and `az://` URLs are listed like directories and
//! their objects read as streams, decompressed by magic bytes like files, and named
//! `s3://bucket/key` in findings. Without the `object-storage` feature only the URL parsing is
//! built, so that such an input gets a clear message.

mod partition;
mod url;

#[cfg(feature = "object-storage")]
mod list;
#[cfg(feature = "object-storage")]
mod read;
#[cfg(feature = "object-storage")]
mod store;

pub use partition::Window;
#[cfg(feature = "object-storage")]
pub use read::ObjectInput;
pub use url::{ObjectUrl, Scheme};

use super::{WalkOptions, Walked};

/// How to reach object stores.
#[derive(Clone, Debug, Default)]
pub struct ObjectOptions {
    /// `--endpoint-url`: an S3-compatible store (MinIO, Ceph RGW, R2, a local test server), or
    /// the GCS or Azure endpoint of an emulator. `AWS_ENDPOINT_URL` is used for S3 when unset.
    pub endpoint_url: Option<String>,
    /// `--no-sign-request`: anonymous access, for public buckets.
    pub anonymous: bool,
    /// `--since`/`--until` with `--partition-slack`: the date partitions worth listing.
    pub window: Option<Window>,
}

/// Lists the objects `url` names into `out`; for a prefix that yields nothing, says why.
pub fn walk_url(url: &ObjectUrl, options: &WalkOptions, out: &mut Vec<Walked>) -> Option<String> {
    #[cfg(feature = "object-storage")]
    {
        list::list(url, options, out)
    }
    #[cfg(not(feature = "object-storage"))]
    {
        let _ = options;
        out.push(Walked::Error(super::WalkError {
            path: super::DisplayPath::new(url.to_string()),
            message: "not read: this logleaks was built without object storage (the `object-storage` feature)".into(),
        }));
        None
    }
}
