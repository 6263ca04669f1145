//! The blob store: uploaded images, sealed, in a local directory under random names. No URL maps
//! to it; files are served only through the authenticated API.

use std::path::{Path, PathBuf};

use crate::at_rest::Sealer;
use crate::error::ServerError;
use crate::ids::random_name;

/// A directory of sealed blobs.
#[derive(Debug, Clone)]
pub struct BlobStore {
    dir: PathBuf,
    sealer: Sealer,
}

fn valid_name(name: &str) -> bool {
    name.len() == 32 && name.bytes().all(|b| b.is_ascii_hexdigit())
}

impl BlobStore {
    /// A store in `dir` (created if missing).
    pub fn open(dir: &Path, sealer: Sealer) -> Result<Self, ServerError> {
        std::fs::create_dir_all(dir)?;
        Ok(BlobStore {
            dir: dir.to_path_buf(),
            sealer,
        })
    }

    fn path(&self, name: &str) -> Result<PathBuf, ServerError> {
        if !valid_name(name) {
            return Err(ServerError::Corrupt(format!("blob name {name:?}")));
        }
        Ok(self.dir.join(name.get(..2).unwrap_or("00")).join(name))
    }

    /// Seals and writes `bytes` (bound to `context`); returns the new blob's name.
    pub async fn put(&self, bytes: &[u8], context: &str) -> Result<String, ServerError> {
        let name = random_name()?;
        let sealed = self.sealer.seal(bytes, &format!("blob:{name}:{context}"))?;
        let path = self.path(&name)?;
        if let Some(parent) = path.parent() {
            tokio::fs::create_dir_all(parent).await?;
        }
        let tmp = path.with_extension("tmp");
        tokio::fs::write(&tmp, &sealed).await?;
        tokio::fs::rename(&tmp, &path).await?;
        Ok(name)
    }

    /// Reads and opens a blob.
    pub async fn get(&self, name: &str, context: &str) -> Result<Vec<u8>, ServerError> {
        let sealed = tokio::fs::read(self.path(name)?).await?;
        self.sealer.open(&sealed, &format!("blob:{name}:{context}"))
    }

    /// Deletes a blob; a missing one is not an error.
    pub async fn delete(&self, name: &str) -> Result<(), ServerError> {
        match tokio::fs::remove_file(self.path(name)?).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}
