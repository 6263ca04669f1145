//! PDF scans through hayro (a pure-Rust renderer): the file is parsed, its pages counted, every
//! object looked at for active content (scripts, actions that launch or submit, attached
//! files), the bytes its compressed streams inflate to capped, its images' announced sizes
//! checked; then the first page, and the second when there is one, are rendered at 300 dpi on
//! white, with the page's `/Rotate` applied.

use std::io::Read;
use std::sync::Arc;

use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_syntax::object::{Dict, MaybeRef, Name, Object};
use hayro::hayro_syntax::{LoadPdfError, Pdf};
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::{PixmapSettings, RenderCache, RenderSettings, render};
use image::{DynamicImage, RgbImage};

use super::{IntakeError, IntakeLimits, check_dimensions};

/// Rendering resolution: the one OCR of printed documents is tuned for.
const DPI: f32 = 300.0;
/// How deep the look for active content goes into nested dictionaries and arrays.
const MAX_DEPTH: usize = 12;

/// Renders the first page (and the second, when there is one); returns the page count too.
pub(super) fn decode(
    bytes: &[u8],
    limits: &IntakeLimits,
) -> Result<(usize, Vec<DynamicImage>), IntakeError> {
    // Every PDF writer ends the file (and each incremental update) with `%%EOF`; a file cut
    // short lacks it, and a lenient parser would otherwise render what is left.
    let tail = bytes
        .get(bytes.len().saturating_sub(1024)..)
        .unwrap_or(bytes);
    if !tail.windows(5).any(|w| w == b"%%EOF") {
        return Err(IntakeError::Decode(
            "the PDF is truncated (it does not end with %%EOF)".into(),
        ));
    }
    let pdf = Pdf::new(Arc::new(bytes.to_vec())).map_err(|e| match e {
        LoadPdfError::Decryption(_) => IntakeError::Encrypted,
        LoadPdfError::Invalid => {
            IntakeError::Decode("the PDF is damaged or truncated (no readable page tree)".into())
        }
    })?;
    let page_count = pdf.pages().len();
    if page_count == 0 {
        return Err(IntakeError::Decode("the PDF has no pages".into()));
    }
    if page_count > limits.max_pages {
        return Err(IntakeError::TooManyPages {
            pages: page_count,
            max: limits.max_pages,
        });
    }
    inspect_objects(&pdf, limits)?;
    let cache = RenderCache::new();
    let interpreter = InterpreterSettings::default();
    let mut pages = Vec::with_capacity(2);
    for page in pdf.pages().iter().take(2) {
        let (w_pt, h_pt) = page.render_dimensions();
        let scale = DPI / 72.0;
        let (w, h) = ((w_pt * scale).round(), (h_pt * scale).round());
        if !(w.is_finite() && h.is_finite()) || w < 1.0 || h < 1.0 {
            return Err(IntakeError::Decode("a PDF page has no size".into()));
        }
        // Saturating float-to-int casts; the check refuses anything that large.
        check_dimensions(w as u64, h as u64, limits)?;
        let pixmap = render(
            page,
            &cache,
            &interpreter,
            &RenderSettings::default(),
            // hayro sizes the pixmap by truncating page size × scale: a quarter pixel more
            // keeps 1475.9999 from becoming 1475.
            &PixmapSettings {
                x_scale: (w + 0.25) / w_pt,
                y_scale: (h + 0.25) / h_pt,
                bg_color: WHITE,
            },
        );
        let (pw, ph) = (u32::from(pixmap.width()), u32::from(pixmap.height()));
        // Opaque on white: premultiplied RGBA is plain RGBA, the alpha is dropped.
        let rgb: Vec<u8> = pixmap
            .data_as_u8_slice()
            .chunks_exact(4)
            .flat_map(|p| p.iter().take(3).copied())
            .collect();
        let img = RgbImage::from_raw(pw, ph, rgb)
            .ok_or_else(|| IntakeError::Decode("a PDF page rendered to nothing".into()))?;
        pages.push(DynamicImage::ImageRgb8(img));
    }
    Ok((page_count, pages))
}

/// Refuses active content and bombs: walks every object of the file once.
fn inspect_objects(pdf: &Pdf, limits: &IntakeLimits) -> Result<(), IntakeError> {
    let mut inflated: u64 = 0;
    for object in pdf.objects() {
        match object {
            Object::Stream(stream) => {
                let dict = stream.dict();
                check_dict(dict, 0)?;
                if name_is(dict, b"Subtype", b"Image") {
                    let side = |key: &[u8]| dict.get::<u32>(key).map_or(0, u64::from);
                    check_dimensions(side(b"Width"), side(b"Height"), limits)?;
                }
                let raw = stream.raw_data();
                let flate = name_is(dict, b"Filter", b"FlateDecode") || first_filter_is_flate(dict);
                if flate {
                    let budget = limits.max_alloc.saturating_sub(inflated);
                    inflated = inflated.saturating_add(inflated_size(&raw, budget));
                    if inflated > limits.max_alloc {
                        return Err(IntakeError::Limits(format!(
                            "the PDF's compressed streams inflate to more than {} bytes",
                            limits.max_alloc
                        )));
                    }
                }
            }
            Object::Dict(dict) => check_dict(&dict, 0)?,
            Object::Array(array) => {
                for item in array.raw_iter() {
                    if let MaybeRef::NotRef(o) = item {
                        check_object(&o, 1)?;
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Whether `dict[key]` is the name `value`.
fn name_is(dict: &Dict<'_>, key: &[u8], value: &[u8]) -> bool {
    dict.get::<Name<'_>>(key)
        .is_some_and(|n| n.as_ref() == value)
}

fn first_filter_is_flate(dict: &Dict<'_>) -> bool {
    dict.get::<hayro::hayro_syntax::object::Array<'_>>(b"Filter".as_slice())
        .and_then(|a| a.iter::<Name<'_>>().next())
        .is_some_and(|n| n.as_ref() == b"FlateDecode")
}

/// How many bytes a zlib stream inflates to, counting at most `budget + 1` (a damaged stream
/// counts what inflates before the damage).
fn inflated_size(raw: &[u8], budget: u64) -> u64 {
    let decoder = flate2::read::ZlibDecoder::new(raw);
    std::io::copy(
        &mut decoder.take(budget.saturating_add(1)),
        &mut std::io::sink(),
    )
    .unwrap_or(0)
}

fn check_object(object: &Object<'_>, depth: usize) -> Result<(), IntakeError> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    match object {
        Object::Dict(d) => check_dict(d, depth),
        Object::Array(a) => {
            for item in a.raw_iter() {
                if let MaybeRef::NotRef(o) = item {
                    check_object(&o, depth + 1)?;
                }
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Keys that mean the file can act (scripts, automatic actions, attached files, forms that
/// run XFA), and the action types that reach outside the document.
const ACTIVE_KEYS: [(&[u8], &str); 7] = [
    (b"JS", "JavaScript"),
    (b"JavaScript", "JavaScript"),
    (b"AA", "automatic actions"),
    (b"EmbeddedFiles", "attached files"),
    (b"EF", "attached files"),
    (b"XFA", "an XFA form"),
    (b"RichMedia", "rich media"),
];
const ACTIVE_ACTIONS: [&[u8]; 9] = [
    b"JavaScript",
    b"Launch",
    b"SubmitForm",
    b"ImportData",
    b"GoToR",
    b"GoToE",
    b"Rendition",
    b"RichMediaExecute",
    b"Sound",
];

fn check_dict(dict: &Dict<'_>, depth: usize) -> Result<(), IntakeError> {
    if let Some((_, what)) = ACTIVE_KEYS.iter().find(|(key, _)| dict.contains_key(*key)) {
        return Err(IntakeError::ActiveContent((*what).to_string()));
    }
    if let Some(action) = dict.get::<Name<'_>>(b"S".as_slice())
        && let Some(hit) = ACTIVE_ACTIONS.iter().find(|a| **a == action.as_ref())
    {
        return Err(IntakeError::ActiveContent(format!(
            "a {} action",
            String::from_utf8_lossy(hit)
        )));
    }
    if name_is(dict, b"Type", b"EmbeddedFile") {
        return Err(IntakeError::ActiveContent("attached files".into()));
    }
    if depth < MAX_DEPTH {
        for (_, value) in dict.entries() {
            if let MaybeRef::NotRef(o) = value {
                check_object(&o, depth + 1)?;
            }
        }
    }
    // An OpenAction that is an action dictionary (not a plain destination) runs on opening;
    // looked at after the nested values, so that a script inside is named as such.
    if let Some(open) = dict.get::<Dict<'_>>(b"OpenAction".as_slice())
        && !name_is(&open, b"S", b"GoTo")
    {
        return Err(IntakeError::ActiveContent(
            "an action run on opening".into(),
        ));
    }
    Ok(())
}
