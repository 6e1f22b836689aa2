//! Reading one object as a byte stream: the GET is made when the object is opened (so that a
//! missing or forbidden object is an error opening it), then its body is fetched ahead on the
//! object-store runtime into a small bounded queue that [`ObjectReader`] drains. Memory stays
//! bounded: at most [`AHEAD`] chunks of the body wait per object being read.

use std::io::{self, Read};
use std::sync::Arc;

use futures_util::StreamExt;
use object_store::path::Path as Key;
use object_store::{ObjectStore, ObjectStoreExt};

use super::store::{describe, runtime};

/// Chunks of an object's body fetched ahead of the reader.
pub const AHEAD: usize = 8;

/// An object to read: its store and key, and the URL that names it.
#[derive(Clone, Debug)]
pub struct ObjectInput {
    /// The client of its bucket.
    pub store: Arc<dyn ObjectStore>,
    /// Its key.
    pub key: Key,
    /// `s3://bucket/key`, as findings name it.
    pub url: String,
}

impl PartialEq for ObjectInput {
    fn eq(&self, other: &Self) -> bool {
        self.url == other.url
    }
}

impl Eq for ObjectInput {}

impl ObjectInput {
    /// Starts reading the object: fails when it cannot be fetched at all (gone since it was
    /// listed, access denied, the store unreachable).
    pub fn open(&self) -> io::Result<ObjectReader> {
        let runtime = runtime().map_err(io::Error::other)?;
        let got = runtime
            .block_on(self.store.get(&self.key))
            .map_err(|e| io::Error::other(describe(&e)))?;
        let (sender, receiver) = tokio::sync::mpsc::channel(AHEAD);
        runtime.spawn(async move {
            let mut body = got.into_stream();
            while let Some(chunk) = body.next().await {
                let failed = chunk.is_err();
                // The reader has gone (the scan stopped): stop fetching.
                if sender.send(chunk).await.is_err() || failed {
                    return;
                }
            }
        });
        Ok(ObjectReader {
            receiver,
            chunk: bytes::Bytes::new(),
        })
    }
}

/// The body of an object, as it arrives.
pub struct ObjectReader {
    receiver: tokio::sync::mpsc::Receiver<object_store::Result<bytes::Bytes>>,
    chunk: bytes::Bytes,
}

impl Read for ObjectReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.chunk.is_empty() {
            match self.receiver.blocking_recv() {
                Some(Ok(chunk)) => self.chunk = chunk,
                Some(Err(e)) => {
                    return Err(io::Error::new(
                        io::ErrorKind::ConnectionAborted,
                        format!("the download broke off: {}", describe(&e)),
                    ))
                }
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.chunk.len());
        buf[..n].copy_from_slice(&self.chunk[..n]);
        self.chunk = self.chunk.slice(n..);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(store: &Arc<object_store::memory::InMemory>, key: &str) -> ObjectInput {
        ObjectInput {
            store: store.clone(),
            key: Key::from(key),
            url: format!("s3://bucket/{key}"),
        }
    }

    #[test]
    fn an_object_streams_whole_and_one_deleted_after_listing_is_not_found() {
        let store = Arc::new(object_store::memory::InMemory::new());
        let body: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
        let rt = runtime().unwrap();
        rt.block_on(store.put(&Key::from("logs/a.log"), body.clone().into()))
            .unwrap();
        let mut read = Vec::new();
        object(&store, "logs/a.log")
            .open()
            .unwrap()
            .read_to_end(&mut read)
            .unwrap();
        assert_eq!(read, body);

        let listed = object(&store, "logs/a.log");
        rt.block_on(store.delete(&listed.key)).unwrap();
        let Err(gone) = listed.open() else {
            panic!("a deleted object opened")
        };
        assert!(gone.to_string().starts_with("not found: "), "{gone}");
    }
}
