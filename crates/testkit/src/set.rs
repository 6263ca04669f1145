//! Numbered, seeded sets of documents and their photos — what `idverify-fixtures` writes to
//! disk, available in memory to tests. Document `n` depends only on the set's settings and `n`.

use crate::Error;
use crate::date::Date;
use crate::degrade::{Degradation, DegradeLevel, PointMap, degrade_mapped, encode_jpeg};
use crate::render::{RenderOptions, Side, Specimen, render, render_without_mrz};
use crate::spec::{DocFormat, SpecimenSpec};
use image::RgbImage;
use rand::SeedableRng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;

/// The settings of a set.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecimenSet {
    /// The seed; the same seed gives the same documents and photos.
    pub seed: u64,
    /// Formats cycled through by document number; empty draws one of [`DocFormat::ICAO`].
    pub formats: Vec<DocFormat>,
    /// How the photos are degraded.
    pub degrade: DegradeLevel,
    /// The day the documents are valid on (2026-01-01 if `None`).
    pub valid_on: Option<Date>,
    /// Rendering resolution.
    pub render: RenderOptions,
}

/// One photographed side of a document.
#[derive(Debug, Clone)]
pub struct Photo {
    /// Which side.
    pub side: Side,
    /// The degraded image (after its JPEG step, if the degradation has one).
    pub image: RgbImage,
    /// The JPEG bytes `image` was decoded from, when the degradation ends with a JPEG step.
    pub jpeg: Option<Vec<u8>>,
    /// The degradation applied.
    pub degradation: Degradation,
    /// Clean-render pixels → photo pixels.
    pub transform: PointMap,
}

/// One document of a set: the clean render with its ground truth, and a photo of each side.
#[derive(Debug, Clone)]
pub struct SetDocument {
    /// Its number in the set.
    pub n: u64,
    /// The clean render and ground truth.
    pub specimen: Specimen,
    /// One photo per side (front, then back for cards).
    pub photos: Vec<Photo>,
}

impl SetDocument {
    /// The photo of the side that carries the MRZ (none for a negative).
    pub fn mrz_photo(&self) -> Option<&Photo> {
        self.photos.iter().find(|p| {
            self.specimen
                .truth
                .side(p.side)
                .is_some_and(|t| !t.mrz.is_empty())
        })
    }
}

impl SpecimenSet {
    /// A set of random ICAO formats, valid on 2026-01-01, rendered at 300 dpi.
    ///
    /// ```
    /// use idverify_testkit::{SpecimenSet, DegradeLevel};
    /// let set = SpecimenSet::new(7, DegradeLevel::Mild);
    /// let doc = set.document(3).unwrap();
    /// let photo = doc.mrz_photo().unwrap();
    /// assert!(photo.image.width() > 200);
    /// assert_eq!(doc.specimen.truth.spec, set.spec(3));
    /// ```
    pub fn new(seed: u64, degrade: DegradeLevel) -> Self {
        Self {
            seed,
            formats: Vec::new(),
            degrade,
            valid_on: None,
            render: RenderOptions::default(),
        }
    }

    fn rng(&self, salt: u64, n: u64) -> ChaCha8Rng {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed ^ salt);
        rng.set_stream(n);
        rng
    }

    fn spec_with(&self, rng: &mut ChaCha8Rng, n: u64) -> SpecimenSpec {
        // The same draws as `SpecimenSpec::random` / `random_of`: format first, then the rest.
        let format = if self.formats.is_empty() {
            DocFormat::ICAO
                .choose(rng)
                .copied()
                .unwrap_or(DocFormat::Td3)
        } else {
            let i = usize::try_from(n % self.formats.len() as u64).unwrap_or(0);
            self.formats.get(i).copied().unwrap_or(DocFormat::Td3)
        };
        match self.valid_on {
            Some(day) => SpecimenSpec::random_valid_on(format, day, rng),
            None => SpecimenSpec::random_of(format, rng),
        }
    }

    /// The spec of document `n`.
    pub fn spec(&self, n: u64) -> SpecimenSpec {
        self.spec_with(&mut self.rng(0, n), n)
    }

    /// Document `n`: rendered, and each side photographed.
    pub fn document(&self, n: u64) -> Result<SetDocument, Error> {
        let mut rng = self.rng(0, n);
        let spec = self.spec_with(&mut rng, n);
        let specimen = render(&spec, &self.render)?;
        let mut photos = Vec::new();
        for side in [Side::Front, Side::Back] {
            if let Some(img) = specimen.image(side) {
                photos.push(self.photo(img, side, &mut rng)?);
            }
        }
        Ok(SetDocument {
            n,
            specimen,
            photos,
        })
    }

    /// Negative `k`: a document-like image with no MRZ (the front, MRZ band left blank).
    pub fn negative(&self, k: u64) -> Result<SetDocument, Error> {
        let mut rng = self.rng(0x6e65_6761_7469_7665, k);
        let spec = self.spec_with(&mut rng, k);
        let specimen = render_without_mrz(&spec, &self.render)?;
        let photo = self.photo(&specimen.front, Side::Front, &mut rng)?;
        Ok(SetDocument {
            n: k,
            specimen,
            photos: vec![photo],
        })
    }

    fn photo(&self, img: &RgbImage, side: Side, rng: &mut ChaCha8Rng) -> Result<Photo, Error> {
        let mut degradation = Degradation::random(self.degrade, rng);
        // The JPEG step is done here so that its bytes can be kept and written as they are.
        let quality = degradation.jpeg_quality.take();
        let out = degrade_mapped(img, &degradation, rng)?;
        degradation.jpeg_quality = quality;
        let (image, jpeg) = match quality {
            Some(q) => {
                let bytes = encode_jpeg(&out.image, q)?;
                let decoded = image::load_from_memory_with_format(&bytes, image::ImageFormat::Jpeg)
                    .map_err(|e| Error::Image(e.to_string()))?
                    .to_rgb8();
                (decoded, Some(bytes))
            }
            None => (out.image, None),
        };
        Ok(Photo {
            side,
            image,
            jpeg,
            degradation,
            transform: out.transform,
        })
    }
}
