//! Reading a `multipart/form-data` form with one file (a received list): its field `file`, at
//! most [`MAX_BYTES`](crate::import::table::MAX_BYTES) of it, and its short text fields.

use actix_multipart::Multipart;
use futures_util::StreamExt;

use crate::domain::FieldError;
use crate::import::table::MAX_BYTES;

/// What the form sent.
pub struct Upload {
    /// The file: its name and its bytes (`None` when it was larger than the limit).
    pub file: Option<(String, Option<Vec<u8>>)>,
    /// The other fields, `(name, value)`.
    pub fields: Vec<(String, String)>,
}

impl Upload {
    /// Reads the whole form (a body that is not multipart reads as an empty form).
    pub async fn read(mut form: Multipart) -> Self {
        let mut upload = Upload {
            file: None,
            fields: Vec::new(),
        };
        while let Some(Ok(mut field)) = form.next().await {
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field
                .content_disposition()
                .and_then(|d| d.get_filename())
                .unwrap_or_default()
                .to_owned();
            let (mut bytes, mut over) = (Vec::new(), false);
            while let Some(Ok(chunk)) = field.next().await {
                if bytes.len() + chunk.len() > MAX_BYTES {
                    over = true;
                } else {
                    bytes.extend_from_slice(&chunk);
                }
            }
            if name == "file" {
                if !file_name.is_empty() || !bytes.is_empty() {
                    upload.file = Some((file_name, (!over).then_some(bytes)));
                }
            } else {
                upload
                    .fields
                    .push((name, String::from_utf8_lossy(&bytes).trim().to_owned()));
            }
        }
        upload
    }

    /// The file's name and bytes, or the message beside the field: none chosen, or too large.
    pub fn file(self) -> Result<(String, Vec<u8>), FieldError> {
        match self.file {
            None => Err(FieldError::new(
                "file",
                "import-no-file",
                "Choose the file to import.",
            )),
            Some((_, None)) => {
                Err(
                    FieldError::new("file", "import-too-large", "The file is larger than 5 MB.")
                        .with_arg("max_mb", (MAX_BYTES / (1024 * 1024)).to_string()),
                )
            }
            Some((name, Some(bytes))) => Ok((name, bytes)),
        }
    }

    /// A text field's value (empty when absent).
    pub fn field(&self, name: &str) -> String {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}
