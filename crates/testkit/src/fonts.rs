//! The typefaces, embedded from assets/fonts so that rendering never depends on system fonts.

use crate::Error;
use crate::spec::PrintedFont;
use ab_glyph::FontRef;

static OCRB: &[u8] = include_bytes!("../../../assets/fonts/OCRB.otf");
static DEJAVU_SANS: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
static DEJAVU_SANS_BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");
static DEJAVU_SERIF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSerif.ttf");
static LIBERATION_SANS: &[u8] = include_bytes!("../../../assets/fonts/LiberationSans-Regular.ttf");
static LIBERATION_SANS_BOLD: &[u8] =
    include_bytes!("../../../assets/fonts/LiberationSans-Bold.ttf");

/// The parsed fonts one render needs. Parsing only reads table offsets, so it is cheap.
#[derive(Debug, Clone)]
pub(crate) struct Fonts {
    /// OCR-B, for the MRZ.
    pub ocrb: FontRef<'static>,
    /// The printed-zone regular face.
    pub regular: FontRef<'static>,
    /// The bold face for titles.
    pub bold: FontRef<'static>,
}

fn parse(bytes: &'static [u8], name: &'static str) -> Result<FontRef<'static>, Error> {
    FontRef::try_from_slice(bytes).map_err(|_| Error::Font(name))
}

impl Fonts {
    pub(crate) fn load(printed: PrintedFont) -> Result<Self, Error> {
        let (regular, bold) = match printed {
            PrintedFont::DejavuSans => (
                parse(DEJAVU_SANS, "DejaVuSans.ttf")?,
                parse(DEJAVU_SANS_BOLD, "DejaVuSans-Bold.ttf")?,
            ),
            PrintedFont::DejavuSerif => (
                parse(DEJAVU_SERIF, "DejaVuSerif.ttf")?,
                parse(DEJAVU_SANS_BOLD, "DejaVuSans-Bold.ttf")?,
            ),
            PrintedFont::LiberationSans => (
                parse(LIBERATION_SANS, "LiberationSans-Regular.ttf")?,
                parse(LIBERATION_SANS_BOLD, "LiberationSans-Bold.ttf")?,
            ),
        };
        Ok(Self {
            ocrb: parse(OCRB, "OCRB.otf")?,
            regular,
            bold,
        })
    }
}

/// The raw OCR-B font file (public domain, Debian `fonts-ocr-b`), for callers that render MRZ
/// text themselves, e.g. to train a recogniser.
pub fn ocrb_bytes() -> &'static [u8] {
    OCRB
}
