//! Persisted documents: which GraphQL document a request runs when it names one by hash.
//!
//! - **Automatic persisted queries** (the default; Apollo's protocol): a client sends
//!   `extensions.persistedQuery {version: 1, sha256Hash}` without `query`; the server answers
//!   `PERSISTED_QUERY_NOT_FOUND` the first time, the client sends the document with its hash,
//!   and the server keeps it (checked against the hash) for the next requests. The documents
//!   kept are bounded in bytes, oldest out first.
//! - **Trusted documents** (`TRUSTED_DOCUMENTS=path`): only the documents of an allow-list
//!   file run, named by hash or sent whole; any other document is refused `FORBIDDEN`, and
//!   nothing is learnt from requests. Introspection-only documents still run (the schema is
//!   public at `/schema.graphql`), so the playground keeps its docs.
//!
//! A hash is the SHA-256 of the document's text, as lowercase hex; `documentId` (the
//! GraphQL-over-HTTP persisted documents draft: `"sha256:<hex>"` or the bare hex) names one
//! too.

use std::{
    collections::{HashMap, VecDeque},
    sync::Mutex,
};

use sha2::{Digest, Sha256};

use crate::graphql::schema::is_introspection_only;

/// The code of a request naming a hash the server does not know (Apollo clients then send the
/// document with it).
pub const PERSISTED_QUERY_NOT_FOUND: &str = "PERSISTED_QUERY_NOT_FOUND";

/// The most bytes of documents automatic persisted queries keep.
const APQ_BYTES: usize = 16 << 20;

/// Why a request's document could not be chosen: a code and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentError {
    pub code: &'static str,
    pub message: String,
}

impl DocumentError {
    fn new(code: &'static str, message: impl Into<String>) -> Self {
        DocumentError {
            code,
            message: message.into(),
        }
    }

    fn bad_input(message: impl Into<String>) -> Self {
        DocumentError::new("BAD_USER_INPUT", message)
    }
}

/// The documents a server knows by hash.
pub struct Documents {
    mode: Mode,
}

enum Mode {
    Automatic(Mutex<Kept>),
    Trusted(HashMap<String, String>),
}

/// Documents learnt from requests, oldest first out.
#[derive(Default)]
struct Kept {
    by_hash: HashMap<String, String>,
    order: VecDeque<String>,
    bytes: usize,
}

impl Kept {
    fn insert(&mut self, hash: String, query: String) {
        if self.by_hash.contains_key(&hash) || query.len() > APQ_BYTES {
            return;
        }
        self.bytes += query.len();
        self.order.push_back(hash.clone());
        self.by_hash.insert(hash, query);
        while self.bytes > APQ_BYTES {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            if let Some(gone) = self.by_hash.remove(&oldest) {
                self.bytes -= gone.len();
            }
        }
    }
}

/// The SHA-256 of a document's text, lowercase hex.
pub fn document_hash(query: &str) -> String {
    hex::encode(Sha256::digest(query.as_bytes()))
}

impl Documents {
    /// Automatic persisted queries: any document runs; hashes are learnt.
    pub fn automatic() -> Self {
        Documents {
            mode: Mode::Automatic(Mutex::new(Kept::default())),
        }
    }

    /// Only the documents of this allow-list run.
    pub fn trusted(documents: impl IntoIterator<Item = String>) -> Self {
        Documents {
            mode: Mode::Trusted(
                documents
                    .into_iter()
                    .map(|query| (document_hash(&query), query))
                    .collect(),
            ),
        }
    }

    /// Reads an allow-list file: a JSON object of hash → document (GraphQL Codegen's
    /// `persisted-documents.json`), or Apollo's persisted query manifest (`{"format":
    /// "apollo-persisted-query-manifest", "operations": [{"id", "body", ...}]}`). Every hash
    /// is checked against its document.
    pub fn trusted_from_json(text: &str) -> Result<Self, String> {
        let json: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
        let pairs: Vec<(String, String)> = match &json {
            serde_json::Value::Object(fields) if fields.contains_key("operations") => fields
                ["operations"]
                .as_array()
                .ok_or("`operations` is not a list")?
                .iter()
                .map(|op| match (op.get("id"), op.get("body")) {
                    (
                        Some(serde_json::Value::String(id)),
                        Some(serde_json::Value::String(body)),
                    ) => Ok((id.clone(), body.clone())),
                    _ => Err("an operation without a string `id` and `body`".to_owned()),
                })
                .collect::<Result<_, _>>()?,
            serde_json::Value::Object(fields) => fields
                .iter()
                .map(|(hash, body)| match body {
                    serde_json::Value::String(body) => Ok((hash.clone(), body.clone())),
                    _ => Err(format!("the document of {hash} is not a string")),
                })
                .collect::<Result<_, _>>()?,
            _ => return Err("neither a hash → document object nor a manifest".to_owned()),
        };
        if pairs.is_empty() {
            return Err("it lists no document".to_owned());
        }
        for (hash, body) in &pairs {
            let actual = document_hash(body);
            if !hash.eq_ignore_ascii_case(&actual) {
                return Err(format!(
                    "the document listed as {hash} has the SHA-256 {actual}"
                ));
            }
        }
        Ok(Documents::trusted(pairs.into_iter().map(|(_, body)| body)))
    }

    pub fn is_trusted(&self) -> bool {
        matches!(self.mode, Mode::Trusted(_))
    }

    /// The document a request runs: the `query` it sends, or the one its `hash` names.
    pub fn resolve(
        &self,
        query: Option<String>,
        hash: Option<String>,
    ) -> Result<String, DocumentError> {
        let hash = hash.map(|h| h.to_ascii_lowercase());
        match (query, hash) {
            (None, None) => Err(DocumentError::bad_input(
                "the request has no `query` parameter (nor a persisted document's hash)",
            )),
            (Some(query), Some(hash)) => {
                if document_hash(&query) != hash {
                    return Err(DocumentError::bad_input(
                        "the persisted document's hash is not the SHA-256 of the `query` sent",
                    ));
                }
                match &self.mode {
                    Mode::Automatic(kept) => {
                        if let Ok(mut kept) = kept.lock() {
                            kept.insert(hash, query.clone());
                        }
                        Ok(query)
                    }
                    Mode::Trusted(_) => self.trusted_query(query),
                }
            }
            (Some(query), None) => match &self.mode {
                Mode::Automatic(_) => Ok(query),
                Mode::Trusted(_) => self.trusted_query(query),
            },
            (None, Some(hash)) => {
                let known = match &self.mode {
                    Mode::Automatic(kept) => kept
                        .lock()
                        .ok()
                        .and_then(|kept| kept.by_hash.get(&hash).cloned()),
                    Mode::Trusted(allowed) => allowed.get(&hash).cloned(),
                };
                known.ok_or_else(|| {
                    DocumentError::new(
                        PERSISTED_QUERY_NOT_FOUND,
                        if self.is_trusted() {
                            "PersistedQueryNotFound: no trusted document has this hash"
                        } else {
                            "PersistedQueryNotFound: send the document with its hash once"
                        },
                    )
                })
            }
        }
    }

    fn trusted_query(&self, query: String) -> Result<String, DocumentError> {
        let Mode::Trusted(allowed) = &self.mode else {
            return Ok(query);
        };
        if allowed.contains_key(&document_hash(&query)) || is_introspection_only(&query) {
            Ok(query)
        } else {
            Err(DocumentError::new(
                "FORBIDDEN",
                "this server runs only its trusted documents (TRUSTED_DOCUMENTS), and this \
                 document is not one of them",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const Q: &str = "{ viewer { privileges } }";

    #[test]
    fn a_hash_is_learnt_from_the_document_sent_with_it() {
        let docs = Documents::automatic();
        let hash = document_hash(Q);
        let unknown = docs.resolve(None, Some(hash.clone())).unwrap_err();
        assert_eq!(unknown.code, PERSISTED_QUERY_NOT_FOUND);
        let wrong = docs.resolve(Some(Q.to_owned()), Some("00".repeat(32)));
        assert_eq!(wrong.unwrap_err().code, "BAD_USER_INPUT");
        assert_eq!(
            docs.resolve(Some(Q.to_owned()), Some(hash.clone()))
                .unwrap(),
            Q
        );
        assert_eq!(docs.resolve(None, Some(hash.to_uppercase())).unwrap(), Q);
    }

    #[test]
    fn learnt_documents_are_bounded_in_bytes() {
        let mut kept = Kept::default();
        let big = "x".repeat(APQ_BYTES / 2 + 1);
        kept.insert("a".into(), big.clone());
        kept.insert("b".into(), big);
        assert!(!kept.by_hash.contains_key("a"), "the oldest went");
        assert!(kept.by_hash.contains_key("b"));
        assert!(kept.bytes <= APQ_BYTES);
    }

    #[test]
    fn trusted_mode_runs_only_the_listed_documents() {
        let manifest = serde_json::json!({ document_hash(Q): Q }).to_string();
        let docs = Documents::trusted_from_json(&manifest).unwrap();
        assert_eq!(docs.resolve(None, Some(document_hash(Q))).unwrap(), Q);
        assert_eq!(docs.resolve(Some(Q.to_owned()), None).unwrap(), Q);
        let other = "{ users { nodes { email } } }";
        let refused = docs.resolve(Some(other.to_owned()), None).unwrap_err();
        assert_eq!(refused.code, "FORBIDDEN");
        let refused = docs
            .resolve(Some(other.to_owned()), Some(document_hash(other)))
            .unwrap_err();
        assert_eq!(
            refused.code, "FORBIDDEN",
            "nothing is learnt in trusted mode"
        );
        assert!(docs
            .resolve(Some("{ __schema { types { name } } }".to_owned()), None)
            .is_ok());
        let bad = serde_json::json!({ "00": Q }).to_string();
        assert!(Documents::trusted_from_json(&bad).is_err());
        let apollo = serde_json::json!({
            "format": "apollo-persisted-query-manifest", "version": 1,
            "operations": [{ "id": document_hash(Q), "name": "V", "type": "query", "body": Q }],
        });
        assert!(Documents::trusted_from_json(&apollo.to_string()).is_ok());
    }
}
