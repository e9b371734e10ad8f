//! Nodes as CSV rows (RFC 4180: comma separated, CRLF line ends, a field quoted when it
//! holds a comma, a quote or a line break, quotes doubled) and as NDJSON lines.
//!
//! A node is one row, unless a list is selected under it: then one row per element of the
//! deepest list, the columns above it repeated; an empty or null list keeps the row, its
//! columns empty. Cells: a string as is, a number or an enum as written in JSON, a boolean
//! `true`/`false`, null empty, a list of scalars its items joined by `; `, an object (a JSON
//! scalar) its JSON text.

use async_graphql::{indexmap::IndexMap, Name, Value};

use super::plan::Column;

/// Appends one CSV record.
pub fn write_record<'a>(out: &mut Vec<u8>, cells: impl IntoIterator<Item = &'a str>) {
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        if cell.contains([',', '"', '\r', '\n']) {
            out.push(b'"');
            for byte in cell.bytes() {
                if byte == b'"' {
                    out.push(b'"');
                }
                out.push(byte);
            }
            out.push(b'"');
        } else {
            out.extend_from_slice(cell.as_bytes());
        }
    }
    out.extend_from_slice(b"\r\n");
}

/// Appends the rows of one node; returns how many.
pub fn write_node(out: &mut Vec<u8>, columns: &[Column], node: &Value) -> u64 {
    let rows = rows_of(columns, as_object(node));
    for row in &rows {
        write_record(out, row.iter().map(String::as_str));
    }
    rows.len() as u64
}

/// Appends a node as one JSON line.
pub fn write_json_line(out: &mut Vec<u8>, node: &Value) -> Result<(), serde_json::Error> {
    serde_json::to_writer(&mut *out, node)?;
    out.push(b'\n');
    Ok(())
}

fn as_object(value: &Value) -> Option<&IndexMap<Name, Value>> {
    match value {
        Value::Object(fields) => Some(fields),
        _ => None,
    }
}

/// The rows of `columns` over one object (`None`: a null object, its cells empty).
fn rows_of(columns: &[Column], object: Option<&IndexMap<Name, Value>>) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = vec![Vec::new()];
    for column in columns {
        let value = object.and_then(|o| o.get(column.key()));
        let part = column_rows(column, value);
        rows = if part.len() == 1 {
            for row in &mut rows {
                row.extend(part[0].iter().cloned());
            }
            rows
        } else {
            // Only one column of a level holds a list (the plan refuses two), so this runs
            // with a single row on the left.
            let mut product = Vec::with_capacity(rows.len() * part.len());
            for row in &rows {
                for cells in &part {
                    let mut joined = row.clone();
                    joined.extend(cells.iter().cloned());
                    product.push(joined);
                }
            }
            product
        };
    }
    rows
}

fn column_rows(column: &Column, value: Option<&Value>) -> Vec<Vec<String>> {
    match column {
        Column::Leaf { .. } => vec![vec![cell(value.unwrap_or(&Value::Null))]],
        Column::Object {
            list: true,
            children,
            ..
        } => match value {
            Some(Value::List(items)) if !items.is_empty() => items
                .iter()
                .flat_map(|item| rows_of(children, as_object(item)))
                .collect(),
            _ => vec![vec![String::new(); column.width()]],
        },
        Column::Object { children, .. } => rows_of(children, value.and_then(as_object)),
    }
}

fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Boolean(b) => b.to_string(),
        Value::Enum(name) => name.to_string(),
        Value::List(items) => items.iter().map(cell).collect::<Vec<_>>().join("; "),
        Value::Binary(_) | Value::Object(_) => serde_json::to_string(value).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(key: &str) -> Column {
        Column::Leaf {
            key: Name::new(key),
        }
    }

    #[test]
    fn quotes_what_rfc_4180_quotes() {
        let mut out = Vec::new();
        write_record(&mut out, ["plain", "a,b", "say \"hi\"", "two\nlines", ""]);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n"
        );
    }

    #[test]
    fn a_row_per_element_of_the_list_parents_repeated() {
        let columns = vec![
            leaf("id"),
            Column::Object {
                key: Name::new("host"),
                list: false,
                children: vec![leaf("email")],
            },
            Column::Object {
                key: Name::new("participants"),
                list: true,
                children: vec![leaf("name"), leaf("tags")],
            },
        ];
        let node = async_graphql::value!({
            "id": "7",
            "host": { "email": "h@x" },
            "participants": [ { "name": "A", "tags": ["x", "y"] }, { "name": "B", "tags": [] } ],
        });
        let mut out = Vec::new();
        assert_eq!(write_node(&mut out, &columns, &node), 2);
        let empty = async_graphql::value!({ "id": "8", "host": null, "participants": [] });
        assert_eq!(write_node(&mut out, &columns, &empty), 1);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "7,h@x,A,x; y\r\n7,h@x,B,\r\n8,,,\r\n"
        );
    }
}
