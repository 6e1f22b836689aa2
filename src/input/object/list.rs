//! Listing the objects a URL names, in a stable order like a directory walk: an object named
//! exactly is read alone; otherwise every object below the prefix, sorted by key, filtered by
//! `--glob`/`--exclude` on the key below the prefix, and, with `--since`/`--until`, narrowed to
//! the date partitions that can hold the window ([`super::partition`]) before they are listed.

use object_store::path::Path as Key;
use object_store::{ObjectMeta, ObjectStore, ObjectStoreExt};

use super::partition::Window;
use super::read::ObjectInput;
use super::store::{client, describe, runtime};
use super::url::ObjectUrl;
use crate::input::{DisplayPath, InputFile, Source, WalkError, WalkOptions, Walked};

/// Lists `url` into `out`; for a prefix that yields nothing, says why.
pub fn list(url: &ObjectUrl, walk: &WalkOptions, out: &mut Vec<Walked>) -> Option<String> {
    let shown = DisplayPath::new(url.to_string());
    let error = |message: String| {
        Walked::Error(WalkError {
            path: shown.clone(),
            message,
        })
    };
    let listed = client(url, &walk.objects).and_then(|store| {
        let runtime = runtime()?;
        runtime
            .block_on(objects(&*store, url, walk.objects.window.as_ref()))
            .map(|objects| (store, objects))
    });
    let (store, listed) = match listed {
        Ok(found) => found,
        Err(message) => {
            out.push(error(message));
            return None;
        }
    };
    let (explicit, mut objects) = listed;
    objects.sort_by(|a, b| a.location.cmp(&b.location));
    let prefix = url.key.trim_end_matches('/');
    let mut left_out = (0u64, 0u64);
    let before = out.len();
    for meta in objects {
        let key = meta.location.as_ref();
        let relative = key
            .strip_prefix(prefix)
            .unwrap_or(key)
            .trim_start_matches('/');
        if !explicit {
            if excluded(walk, relative) {
                left_out.1 += 1;
                continue;
            }
            if walk
                .globs
                .as_ref()
                .is_some_and(|g| !WalkOptions::matches(g, std::path::Path::new(relative)))
            {
                left_out.0 += 1;
                continue;
            }
        }
        let name = url.of_key(key);
        out.push(Walked::File(InputFile {
            display: DisplayPath::new(&name),
            source: Source::Object(ObjectInput {
                store: store.clone(),
                key: meta.location.clone(),
                url: name,
            }),
            explicit,
            size: Some(meta.size),
        }));
    }
    let named_object = !url.key.is_empty() && !url.key.ends_with('/');
    if out.len() == before && left_out == (0, 0) && named_object && walk.objects.window.is_none() {
        // Named like an object, and neither an object nor a prefix: missing, as a named file
        // would be (an empty prefix is only "nothing to scan", like an empty directory).
        out.push(error(
            "not found: no such object, and no object below it as a prefix".into(),
        ));
        return None;
    }
    (out.len() == before).then(|| match left_out {
        (0, 0) if walk.objects.window.is_some() => {
            "no object below this prefix in the partitions of --since/--until".into()
        }
        (0, 0) => "no object below this prefix".into(),
        (0, _) => "every object below it matches --exclude".into(),
        (n, _) => format!("no object matches --glob ({n} other objects left out)"),
    })
}

/// True when `relative` or one of its folders matches `--exclude`.
fn excluded(walk: &WalkOptions, relative: &str) -> bool {
    let Some(excludes) = &walk.excludes else {
        return false;
    };
    let mut at = 0;
    loop {
        let end = relative[at..].find('/').map_or(relative.len(), |i| at + i);
        if WalkOptions::matches(excludes, std::path::Path::new(&relative[..end])) {
            return true;
        }
        if end == relative.len() {
            return false;
        }
        at = end + 1;
    }
}

/// The objects `url` names: `(true, [it])` for an object named exactly, else `(false, the
/// objects below the prefix)`.
async fn objects(
    store: &dyn ObjectStore,
    url: &ObjectUrl,
    window: Option<&Window>,
) -> Result<(bool, Vec<ObjectMeta>), String> {
    if !url.key.is_empty() && !url.key.ends_with('/') {
        match store.head(&Key::from(url.key.as_str())).await {
            Ok(meta) => return Ok((true, vec![meta])),
            Err(object_store::Error::NotFound { .. }) => {}
            Err(e) => return Err(describe(&e)),
        }
    }
    let prefix = (!url.key.is_empty()).then(|| Key::from(url.key.as_str()));
    let mut found = Vec::new();
    match window {
        None => {
            let mut listing = store.list(prefix.as_ref());
            while let Some(meta) = futures_util::StreamExt::next(&mut listing).await {
                found.push(meta.map_err(|e| describe(&e))?);
            }
        }
        Some(window) => {
            // Folder by folder, leaving out date partitions that cannot hold the window.
            let mut folders = vec![prefix];
            while let Some(folder) = folders.pop() {
                let listed = store
                    .list_with_delimiter(folder.as_ref())
                    .await
                    .map_err(|e| describe(&e))?;
                found.extend(
                    listed
                        .objects
                        .into_iter()
                        .filter(|m| window.may_hold_object(m.location.as_ref())),
                );
                folders.extend(
                    listed
                        .common_prefixes
                        .into_iter()
                        .filter(|p| window.may_hold(p.as_ref()))
                        .map(Some),
                );
            }
        }
    }
    Ok((false, found))
}
