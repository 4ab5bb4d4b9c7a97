//! The index schema, from the declarative file `schema/schema.toml`: field
//! specs → a tantivy `Schema`, and `Fields`, the handles the code writes
//! and reads by name.

use serde::Deserialize;
use tantivy::schema::{
    DateOptions, FacetOptions, Field, IndexRecordOption, NumericOptions, STORED, Schema,
    TextFieldIndexing, TextOptions,
};

use crate::error::{Error, Result};

/// The schema file, compiled in.
pub const SCHEMA_TOML: &str = include_str!("../../schema/schema.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaFile {
    pub version: u64,
    #[serde(rename = "field")]
    pub fields: Vec<FieldSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: Kind,
    pub tokenizer: Option<String>,
    #[serde(default)]
    pub indexed: bool,
    #[serde(default)]
    pub stored: bool,
    #[serde(default)]
    pub fast: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Text,
    String,
    U64,
    Date,
    Facet,
    Stored,
}

impl SchemaFile {
    pub fn parse(text: &str) -> Result<SchemaFile> {
        toml::from_str(text).map_err(|e| Error::Schema(e.to_string()))
    }

    /// The schema file compiled into imr.
    pub fn bundled() -> SchemaFile {
        SchemaFile::parse(SCHEMA_TOML).expect("schema/schema.toml is checked by the test suite")
    }

    pub fn tantivy_schema(&self) -> Schema {
        let mut builder = Schema::builder();
        for spec in &self.fields {
            let name = spec.name.as_str();
            match spec.kind {
                Kind::Text | Kind::String => {
                    let tokenizer = match spec.kind {
                        Kind::String => "raw",
                        _ => spec.tokenizer.as_deref().unwrap_or("default"),
                    };
                    let record = match spec.kind {
                        Kind::String => IndexRecordOption::Basic,
                        _ => IndexRecordOption::WithFreqsAndPositions,
                    };
                    let mut options = TextOptions::default().set_indexing_options(
                        TextFieldIndexing::default()
                            .set_tokenizer(tokenizer)
                            .set_index_option(record),
                    );
                    if spec.stored {
                        options = options.set_stored();
                    }
                    if spec.fast {
                        options = options.set_fast("raw");
                    }
                    builder.add_text_field(name, options);
                }
                Kind::U64 => {
                    let mut options = NumericOptions::default();
                    if spec.indexed {
                        options = options.set_indexed();
                    }
                    if spec.stored {
                        options = options.set_stored();
                    }
                    if spec.fast {
                        options = options.set_fast();
                    }
                    builder.add_u64_field(name, options);
                }
                Kind::Date => {
                    let mut options = DateOptions::default();
                    if spec.indexed {
                        options = options.set_indexed();
                    }
                    if spec.fast {
                        options = options.set_fast();
                    }
                    builder.add_date_field(name, options);
                }
                Kind::Facet => {
                    builder.add_facet_field(name, FacetOptions::default());
                }
                Kind::Stored => {
                    builder.add_bytes_field(name, STORED);
                }
            }
        }
        builder.build()
    }
}

/// The fields imr writes, resolved by name from the schema file.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub letter: Field,
    pub source: Field,
    pub file_size: Field,
    pub file_modified: Field,
    pub ingested: Field,
    pub file: Field,
    pub case_number: Field,
    pub decision: Field,
    pub item: Field,
    pub rationale: Field,
    pub summary: Field,
    pub drug: Field,
    pub class: Field,
    pub category: Field,
    pub guideline: Field,
    pub page: Field,
    pub specialty: Field,
    pub state: Field,
    pub outcome: Field,
    pub year: Field,
    pub dated: Field,
    pub facet: Field,
    pub item_facet: Field,
    pub cited: Field,
    pub record: Field,
}

impl Fields {
    /// Fails, naming the field, when the schema lacks one the code writes.
    pub fn resolve(schema: &Schema) -> Result<Fields> {
        let get = |name: &str| {
            schema.get_field(name).map_err(|_| {
                Error::Schema(format!("field `{name}` is written by imr but not declared"))
            })
        };
        Ok(Fields {
            letter: get("letter")?,
            source: get("source")?,
            file_size: get("file_size")?,
            file_modified: get("file_modified")?,
            ingested: get("ingested")?,
            file: get("file")?,
            case_number: get("case_number")?,
            decision: get("decision")?,
            item: get("item")?,
            rationale: get("rationale")?,
            summary: get("summary")?,
            drug: get("drug")?,
            class: get("class")?,
            category: get("category")?,
            guideline: get("guideline")?,
            page: get("page")?,
            specialty: get("specialty")?,
            state: get("state")?,
            outcome: get("outcome")?,
            year: get("year")?,
            dated: get("dated")?,
            facet: get("facet")?,
            item_facet: get("item_facet")?,
            cited: get("cited")?,
            record: get("record")?,
        })
    }
}
