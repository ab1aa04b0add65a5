//! A small, tolerant tokenizer for the markup that systems save as spreadsheets: HTML
//! tables named `.xls` and Excel 2003 XML spreadsheets. It yields start tags with their
//! attributes, end tags and text with entities resolved; it never fails (a stray `<` is
//! text, an unclosed tag ends the input) and skips comments, declarations, processing
//! instructions and the contents of `<script>` and `<style>`. Names are lower-cased and
//! stripped of their namespace prefix (`ss:Index` → `index`), which both formats allow.

/// One piece of markup.
#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    Start {
        name: String,
        attrs: Vec<(String, String)>,
        /// `<br/>`: no end tag follows.
        self_closing: bool,
    },
    End {
        name: String,
    },
    Text(String),
}

impl Token {
    /// An attribute's value by its local name, lower case.
    pub fn attr(&self, key: &str) -> Option<&str> {
        match self {
            Token::Start { attrs, .. } => attrs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str()),
            _ => None,
        }
    }
}

/// Local name of a tag or attribute, lower case: "ss:Index" → "index".
fn local(name: &str) -> String {
    name.rsplit(':').next().unwrap_or(name).to_ascii_lowercase()
}

/// The tokens of a text, one at a time (a large file is never held twice).
pub fn tokens(text: &str) -> Tokens<'_> {
    Tokens {
        rest: text,
        pending: std::collections::VecDeque::new(),
    }
}

/// Iterator over the tokens of a text; see [`tokens`].
pub struct Tokens<'a> {
    rest: &'a str,
    /// Tokens found but not yet returned (text before a tag, then the tag).
    pending: std::collections::VecDeque<Token>,
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        while self.pending.is_empty() && !self.rest.is_empty() {
            self.step();
        }
        self.pending.pop_front()
    }
}

impl Tokens<'_> {
    /// Reads text up to the next tag and the tag, into `pending`.
    fn step(&mut self) {
        let mut text_buf = String::new();
        let mut rest = self.rest;
        let out = &mut self.pending;
        while !rest.is_empty() {
            let Some(lt) = rest.find('<') else {
                text_buf.push_str(rest);
                rest = "";
                break;
            };
            text_buf.push_str(&rest[..lt]);
            rest = &rest[lt..];
            if let Some(after) = rest.strip_prefix("<!--") {
                rest = after.find("-->").map(|i| &after[i + 3..]).unwrap_or("");
                continue;
            }
            if let Some(after) = rest.strip_prefix("<![CDATA[") {
                let end = after.find("]]>").unwrap_or(after.len());
                flush(out, &mut text_buf);
                out.push_back(Token::Text(after[..end].to_string()));
                rest = after.get(end + 3..).unwrap_or("");
                break;
            }
            if rest.starts_with("<!") || rest.starts_with("<?") {
                rest = rest.find('>').map(|i| &rest[i + 1..]).unwrap_or("");
                continue;
            }
            let closing = rest.starts_with("</");
            let body_start = if closing { 2 } else { 1 };
            // A tag starts with a letter; anything else is a literal "<".
            if !rest[body_start..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
            {
                text_buf.push('<');
                rest = &rest[1..];
                continue;
            }
            let end = tag_end(rest);
            let inner = &rest[body_start..end.min(rest.len())];
            rest = rest.get(end + 1..).unwrap_or("");
            flush(out, &mut text_buf);
            if closing {
                let name = inner.split_whitespace().next().unwrap_or("");
                out.push_back(Token::End { name: local(name) });
                break;
            }
            let self_closing = inner.trim_end().ends_with('/');
            let inner = inner.trim_end().trim_end_matches('/');
            let name_end = inner
                .find(|c: char| c.is_whitespace())
                .unwrap_or(inner.len());
            let name = local(&inner[..name_end]);
            // Script and style hold no table text.
            if (name == "script" || name == "style") && !self_closing {
                rest = match find_end_tag(rest, &name) {
                    Some(i) => rest[i..]
                        .find('>')
                        .map(|j| &rest[i + j + 1..])
                        .unwrap_or(""),
                    None => "",
                };
                continue;
            }
            out.push_back(Token::Start {
                name,
                attrs: attributes(&inner[name_end..]),
                self_closing,
            });
            break;
        }
        flush(out, &mut text_buf);
        self.rest = rest;
    }
}

/// Where `</name` starts, case ignored, scanning once.
fn find_end_tag(s: &str, name: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(i) = s[from..].find("</") {
        let at = from + i;
        let tail = &bytes[at + 2..];
        if tail.len() >= name.len() && tail[..name.len()].eq_ignore_ascii_case(name.as_bytes()) {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

fn flush(out: &mut std::collections::VecDeque<Token>, buf: &mut String) {
    if !buf.is_empty() {
        out.push_back(Token::Text(decode_entities(buf)));
        buf.clear();
    }
}

/// Index of the `>` that ends the tag starting at 0, outside quoted attribute values.
fn tag_end(s: &str) -> usize {
    let mut quote: Option<u8> = None;
    for (i, b) in s.bytes().enumerate().skip(1) {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if b == q => quote = None,
            (None, b'>') => return i,
            _ => {}
        }
    }
    s.len()
}

/// `key="value" key='value' key=value key` → (local lower-case key, decoded value).
fn attributes(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = s.trim_start();
    while !rest.is_empty() {
        let key_end = rest
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(rest.len());
        let key = local(&rest[..key_end]);
        rest = rest[key_end..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &after[1..];
                    let end = body.find(q).unwrap_or(body.len());
                    value = decode_entities(&body[..end]);
                    rest = body.get(end + 1..).unwrap_or("");
                }
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    value = decode_entities(&after[..end]);
                    rest = &after[end..];
                }
            }
        }
        if !key.is_empty() {
            out.push((key, value));
        }
        rest = rest.trim_start();
    }
    out
}

/// Named entities exports use; others are kept as written.
const ENTITIES: [(&str, char); 22] = [
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", '\u{a0}'),
    ("aring", 'å'),
    ("auml", 'ä'),
    ("ouml", 'ö'),
    ("Aring", 'Å'),
    ("Auml", 'Ä'),
    ("Ouml", 'Ö'),
    ("eacute", 'é'),
    ("Eacute", 'É'),
    ("uuml", 'ü'),
    ("Uuml", 'Ü'),
    ("ndash", '–'),
    ("mdash", '—'),
    ("shy", '\u{ad}'),
    ("euro", '€'),
    ("aelig", 'æ'),
    ("oslash", 'ø'),
];

/// Resolves `&amp;`, `&#228;`, `&#xE4;` and the named entities above.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map(|j| j + 1)
            .unwrap_or(rest.len());
        let name = &rest[1..end];
        let resolved = if let Some(num) = name.strip_prefix("#x").or(name.strip_prefix("#X")) {
            u32::from_str_radix(num, 16).ok().and_then(char::from_u32)
        } else if let Some(num) = name.strip_prefix('#') {
            num.parse::<u32>().ok().and_then(char::from_u32)
        } else {
            ENTITIES.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
        };
        match resolved {
            Some(c) => {
                out.push(c);
                rest = &rest[end..];
                rest = rest.strip_prefix(';').unwrap_or(rest);
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_attributes_entities_and_skipped_parts() {
        let t: Vec<Token> = tokens(
            "<?xml version=\"1.0\"?><!-- x --><ss:Cell ss:Index='2' a=b><Data>Å&amp;&#228;&#xF6;&ouml; &bogus; a < b</Data></ss:Cell><script>if (a<b) {}</script><br/>",
        )
        .collect();
        assert_eq!(t[0].attr("index"), Some("2"));
        assert_eq!(t[0].attr("a"), Some("b"));
        assert_eq!(t[2], Token::Text("Å&äöö &bogus; a < b".into()));
        assert_eq!(
            t[3],
            Token::End {
                name: "data".into()
            }
        );
        assert_eq!(
            t[4],
            Token::End {
                name: "cell".into()
            }
        );
        assert!(matches!(&t[5], Token::Start { name, self_closing: true, .. } if name == "br"));
        assert_eq!(t.len(), 6);
    }

    #[test]
    fn never_fails_on_broken_markup() {
        for s in [
            "<",
            "<a",
            "<a href=\"x",
            "</",
            "<!--",
            "<![CDATA[x",
            "&#99999999;",
            "<td>&",
        ] {
            let _ = tokens(s).count();
        }
    }
}
