//! What a specimen says: the holder's data as printed, the format and the look, and random draws of it.

use crate::date::{Date, DateStyle};
use rand::Rng;
use rand::seq::IndexedRandom;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// The ICAO 9303 document formats the generator renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocFormat {
    /// ID-1 card (85.6 × 54 mm): printed zone and portrait on the front, 3 × 30 MRZ on the back.
    Td1,
    /// ID-2 card (105 × 74 mm), 2 × 36 MRZ under the printed zone.
    Td2,
    /// Passport data page (125 × 88 mm), 2 × 44 MRZ.
    Td3,
    /// Full-size visa sticker (120 × 80 mm), 2 × 44 MRZ.
    Mrva,
    /// Small visa sticker (105 × 74 mm), 2 × 36 MRZ.
    Mrvb,
    /// French national identity card of 1995–2021 (105 × 74 mm), 2 × 36 MRZ starting `IDFRA` on
    /// the front, validity and authority on the back. Always issued by `FRA` to a French holder.
    FrenchId,
}

impl DocFormat {
    /// Every format.
    pub const ALL: [DocFormat; 6] = [
        DocFormat::Td1,
        DocFormat::Td2,
        DocFormat::Td3,
        DocFormat::Mrva,
        DocFormat::Mrvb,
        DocFormat::FrenchId,
    ];

    /// The ICAO 9303 formats, drawn by [`SpecimenSpec::random`] (the French card is drawn only
    /// when asked for).
    pub const ICAO: [DocFormat; 5] = [
        DocFormat::Td1,
        DocFormat::Td2,
        DocFormat::Td3,
        DocFormat::Mrva,
        DocFormat::Mrvb,
    ];

    /// The lower-case name used in file names and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            DocFormat::Td1 => "td1",
            DocFormat::Td2 => "td2",
            DocFormat::Td3 => "td3",
            DocFormat::Mrva => "mrva",
            DocFormat::Mrvb => "mrvb",
            DocFormat::FrenchId => "french_id",
        }
    }

    /// Nominal size in millimetres, width × height, landscape.
    pub fn size_mm(self) -> (f32, f32) {
        match self {
            DocFormat::Td1 => (85.6, 54.0),
            DocFormat::Td2 | DocFormat::Mrvb | DocFormat::FrenchId => (105.0, 74.0),
            DocFormat::Td3 => (125.0, 88.0),
            DocFormat::Mrva => (120.0, 80.0),
        }
    }

    /// `(lines, characters per line)` of the MRZ.
    pub fn mrz_shape(self) -> (usize, usize) {
        match self {
            DocFormat::Td1 => (3, 30),
            DocFormat::Td2 | DocFormat::Mrvb | DocFormat::FrenchId => (2, 36),
            DocFormat::Td3 | DocFormat::Mrva => (2, 44),
        }
    }

    /// Whether the document has two rendered sides.
    pub fn has_back(self) -> bool {
        matches!(self, DocFormat::Td1 | DocFormat::FrenchId)
    }

    /// Whether the MRZ is on the back (TD1 cards) rather than the front.
    pub fn mrz_on_back(self) -> bool {
        matches!(self, DocFormat::Td1)
    }

    /// The document code printed in the first MRZ characters.
    pub fn document_code(self) -> &'static str {
        match self {
            DocFormat::Td1 | DocFormat::Td2 => "I",
            DocFormat::Td3 => "P",
            DocFormat::Mrva | DocFormat::Mrvb => "V",
            DocFormat::FrenchId => "ID",
        }
    }
}

impl fmt::Display for DocFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for DocFormat {
    type Err = crate::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DocFormat::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| crate::Error::UnknownName {
                what: "document format",
                name: s.to_owned(),
            })
    }
}

/// The holder's sex as printed (`X` is printed `X` and written `<` in the MRZ).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sex {
    /// Male.
    M,
    /// Female.
    F,
    /// Unspecified.
    X,
}

impl Sex {
    /// The letter printed in the visual zone.
    pub fn printed(self) -> &'static str {
        match self {
            Sex::M => "M",
            Sex::F => "F",
            Sex::X => "X",
        }
    }

    /// The MRZ character.
    pub fn mrz_char(self) -> char {
        match self {
            Sex::M => 'M',
            Sex::F => 'F',
            Sex::X => '<',
        }
    }
}

/// How the printed zone is arranged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// Portrait on the left, fields in two columns to its right.
    Classic,
    /// Portrait on the left, one field per row, label left of the value.
    Inline,
    /// Portrait on the right, fields stacked to its left.
    Mirrored,
}

impl Layout {
    /// Every layout.
    pub const ALL: [Layout; 3] = [Layout::Classic, Layout::Inline, Layout::Mirrored];
}

/// The language(s) of the printed labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LabelLanguage {
    /// `Surname`
    English,
    /// `Surname / Nom`
    EnglishFrench,
    /// `Name / Surname`
    GermanEnglish,
    /// `Apellidos / Surname`
    SpanishEnglish,
}

impl LabelLanguage {
    /// Every label language.
    pub const ALL: [LabelLanguage; 4] = [
        LabelLanguage::English,
        LabelLanguage::EnglishFrench,
        LabelLanguage::GermanEnglish,
        LabelLanguage::SpanishEnglish,
    ];
}

/// The typeface of the printed zone (the MRZ is always OCR-B).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrintedFont {
    /// DejaVu Sans (Bitstream Vera licence).
    DejavuSans,
    /// DejaVu Serif (Bitstream Vera licence).
    DejavuSerif,
    /// Liberation Sans (SIL OFL 1.1).
    LiberationSans,
}

impl PrintedFont {
    /// Every printed-zone font.
    pub const ALL: [PrintedFont; 3] = [
        PrintedFont::DejavuSans,
        PrintedFont::DejavuSerif,
        PrintedFont::LiberationSans,
    ];
}

/// A field of the visual inspection zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Field {
    /// Document type code (`P`, `I`, `V`).
    DocumentType,
    /// Issuing state (3-letter code).
    IssuingState,
    /// Document number.
    DocumentNumber,
    /// Surname(s), as printed.
    Surname,
    /// Given name(s), as printed.
    GivenNames,
    /// Nationality (3-letter code).
    Nationality,
    /// Date of birth, as printed.
    DateOfBirth,
    /// Sex letter.
    Sex,
    /// Place of birth, as printed.
    PlaceOfBirth,
    /// Date of issue, as printed.
    DateOfIssue,
    /// Date of expiry, as printed.
    DateOfExpiry,
    /// Personal number, when the document has one.
    PersonalNumber,
    /// Issuing authority.
    Authority,
}

/// Everything a specimen shows: data, format and look. Rendering it is deterministic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpecimenSpec {
    /// Document format.
    pub format: DocFormat,
    /// Issuing state, ICAO code (`D` for Germany, `UTO` for the ICAO specimen state).
    pub issuing_state: String,
    /// Nationality, ICAO code.
    pub nationality: String,
    /// Document number: 9 characters `A–Z 0–9` (the French card: 12, issue `YYMM`, department,
    /// serial).
    pub document_number: String,
    /// Surname(s) as printed, with diacritics and original case.
    pub surname: String,
    /// Given name(s) as printed.
    pub given_names: String,
    /// Date of birth.
    pub birth_date: Date,
    /// Date of expiry.
    pub expiry_date: Date,
    /// Date of issue.
    pub issue_date: Date,
    /// Sex.
    pub sex: Sex,
    /// Place of birth as printed.
    pub place_of_birth: String,
    /// Personal number (`A–Z 0–9`), if any.
    pub personal_number: Option<String>,
    /// Issuing authority as printed.
    pub authority: String,
    /// Arrangement of the printed zone.
    pub layout: Layout,
    /// Language(s) of the labels.
    pub labels: LabelLanguage,
    /// How dates are printed.
    pub date_style: DateStyle,
    /// Printed-zone typeface.
    pub font: PrintedFont,
    /// Seed of the decorative details (background pattern, portrait shape).
    pub seed: u64,
    /// Values printed in place of the true ones, to inject a printed-zone/MRZ conflict.
    /// The MRZ is still generated from the true data.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub printed_overrides: BTreeMap<Field, String>,
    /// MRZ lines printed in place of the generated ones (e.g. with one digit changed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mrz_override: Option<Vec<String>>,
}

/// The ICAO code and English name of the countries specimens are drawn from.
pub const COUNTRIES: [(&str, &str); 22] = [
    ("D", "Bundesrepublik Deutschland"),
    ("FRA", "République Française"),
    ("ESP", "Reino de España"),
    ("NOR", "Kongeriket Norge"),
    ("DNK", "Kongeriget Danmark"),
    ("POL", "Rzeczpospolita Polska"),
    ("ISL", "Ísland"),
    ("CZE", "Česká republika"),
    ("PRT", "República Portuguesa"),
    ("SWE", "Konungariket Sverige"),
    ("TUR", "Türkiye Cumhuriyeti"),
    ("HUN", "Magyarország"),
    ("ROU", "România"),
    ("GBR", "United Kingdom"),
    ("USA", "United States of America"),
    ("NLD", "Koninkrijk der Nederlanden"),
    ("ITA", "Repubblica Italiana"),
    ("AUT", "Republik Österreich"),
    ("CHE", "Schweiz Suisse Svizzera"),
    ("BEL", "Royaume de Belgique"),
    ("CAN", "Canada"),
    ("UTO", "Utopia"),
];

struct NamePool {
    country: &'static str,
    surnames: &'static [&'static str],
    given: &'static [&'static str],
    places: &'static [&'static str],
    authority: &'static str,
}

const NAME_POOLS: [NamePool; 22] = [
    NamePool {
        country: "D",
        surnames: &["Müller", "Schäfer", "Groß", "Köhler", "Weiß", "Böhm-Krüger"],
        given: &["Jürgen", "Björn", "Käthe", "Lena Sophie", "Hans-Peter"],
        places: &["München", "Köln", "Lübeck", "Düsseldorf"],
        authority: "Stadt Köln",
    },
    NamePool {
        country: "FRA",
        surnames: &["Lefèvre", "Bénard", "Côté", "Dubois", "Faÿ", "Lemaître"],
        given: &["Hélène", "François", "Zoé", "Jérôme Élie", "Anaïs"],
        places: &["Besançon", "Orléans", "Nîmes", "Saint-Étienne"],
        authority: "Préfecture de Police",
    },
    NamePool {
        country: "ESP",
        surnames: &[
            "Ñúñez",
            "Peña",
            "Muñoz García",
            "Ibáñez",
            "Gómez de la Cruz",
        ],
        given: &["José María", "Begoña", "Íñigo", "Inés"],
        places: &["Málaga", "Cádiz", "León", "Logroño"],
        authority: "Dirección General de la Policía",
    },
    NamePool {
        country: "NOR",
        surnames: &["Øster", "Ødegård", "Håkonsen", "Bråthen"],
        given: &["Bjørn", "Åse", "Sølvi", "Ståle"],
        places: &["Tromsø", "Bodø", "Bærum", "Ålesund"],
        authority: "Politiet",
    },
    NamePool {
        country: "DNK",
        surnames: &["Søndergaard", "Kjærsgaard", "Møller", "Læsø"],
        given: &["Søren", "Mette", "Jørgen", "Æbeltoft"],
        places: &["Århus", "Køge", "Næstved"],
        authority: "Københavns Politi",
    },
    NamePool {
        country: "POL",
        surnames: &[
            "Wójcik",
            "Żółkowski",
            "Brzęczyszczykiewicz",
            "Kowalczyk",
            "Łęcka",
        ],
        given: &["Łukasz", "Małgorzata", "Zbigniew", "Agnieszka"],
        places: &["Kraków", "Łódź", "Gdańsk", "Wrocław"],
        authority: "Prezydent m. st. Warszawy",
    },
    NamePool {
        country: "ISL",
        surnames: &["Þórsdóttir", "Guðmundsson", "Jónsdóttir", "Ólafsson"],
        given: &["Þóra", "Sigríður", "Ægir", "Hafdís"],
        places: &["Reykjavík", "Akureyri", "Ísafjörður"],
        authority: "Þjóðskrá Íslands",
    },
    NamePool {
        country: "CZE",
        surnames: &["Dvořák", "Novotná", "Černý", "Procházková"],
        given: &["Jiří", "Běla", "Tomáš", "Šárka"],
        places: &["Plzeň", "Brno", "České Budějovice"],
        authority: "Magistrát města Brna",
    },
    NamePool {
        country: "PRT",
        surnames: &["Gonçalves", "Conceição", "Simões", "Araújo"],
        given: &["João", "Inês", "Estêvão", "Conceição Maria"],
        places: &["Lisboa", "Évora", "Setúbal"],
        authority: "Governo Civil de Évora",
    },
    NamePool {
        country: "SWE",
        surnames: &["Åström", "Lindström", "Öberg", "Ängström"],
        given: &["Åsa", "Märta", "Örjan", "Björn"],
        places: &["Göteborg", "Malmö", "Västerås", "Umeå"],
        authority: "Polismyndigheten",
    },
    NamePool {
        country: "TUR",
        surnames: &["Yılmaz", "Öztürk", "Çelik", "Şahin"],
        given: &["Ayşe", "Gül", "İbrahim", "Çağla"],
        places: &["İstanbul", "İzmir", "Muğla", "Eskişehir"],
        authority: "İçişleri Bakanlığı",
    },
    NamePool {
        country: "HUN",
        surnames: &["Szőke", "Kovács", "Tóth", "Győri"],
        given: &["Ágnes", "Zoltán", "Ödön", "Erzsébet"],
        places: &["Győr", "Pécs", "Székesfehérvár"],
        authority: "Belügyminisztérium",
    },
    NamePool {
        country: "ROU",
        surnames: &["Ștefănescu", "Țurcanu", "Popescu", "Brâncuși"],
        given: &["Ștefan", "Ioana", "Mădălina", "Răzvan"],
        places: &["Brașov", "Iași", "Timișoara"],
        authority: "SPCLEP Brașov",
    },
    NamePool {
        country: "GBR",
        surnames: &["Smith-Jones", "O'Brien", "Pudarsan", "McAllister"],
        given: &["Oliver James", "Amelia", "Henry", "Chloë"],
        places: &["London", "Manchester", "Edinburgh"],
        authority: "HMPO",
    },
    NamePool {
        country: "USA",
        surnames: &["Johnson", "García", "Nguyen", "Washington"],
        given: &["John Michael", "Emily Rose", "José", "Madison"],
        places: &["Chicago", "San José", "New York"],
        authority: "United States Department of State",
    },
    NamePool {
        country: "NLD",
        surnames: &["de Vries", "van der Berg", "Bakker", "van 't Hof"],
        given: &["Willem", "Anouk", "Daan Pieter", "Maaike"],
        places: &["Utrecht", "Den Haag", "'s-Hertogenbosch"],
        authority: "Burgemeester van Utrecht",
    },
    NamePool {
        country: "ITA",
        surnames: &["Rossi", "Niccolò", "D'Angelo", "Bianchi"],
        given: &["Giulia", "Niccolò", "Lucía", "Francesco"],
        places: &["Forlì", "Cantù", "Roma"],
        authority: "Ministero dell'Interno",
    },
    NamePool {
        country: "AUT",
        surnames: &["Gruber", "Hölzl", "Pöschl", "Mayrhofer"],
        given: &["Florian", "Österreicher", "Lukas", "Theresa"],
        places: &["Wien", "Graz", "Mödling"],
        authority: "BH Mödling",
    },
    NamePool {
        country: "CHE",
        surnames: &["Zürcher", "Meier", "Künzli", "Favre"],
        given: &["Urs", "Anna-Lena", "Rémy", "Noël"],
        places: &["Zürich", "Genève", "Neuchâtel"],
        authority: "Passbüro Zürich",
    },
    NamePool {
        country: "BEL",
        surnames: &["Peeters", "Dupré", "Vandenbroucke", "Lefèbvre"],
        given: &["Noémie", "Joël", "Thibault", "Lotte"],
        places: &["Liège", "Bruxelles", "Gent"],
        authority: "Gemeente Gent",
    },
    NamePool {
        country: "CAN",
        surnames: &["Tremblay", "Gagné", "Bouchard", "Côté-Lévesque"],
        given: &["Geneviève", "Maël", "Liam", "Chloé"],
        places: &["Québec", "Montréal", "Trois-Rivières"],
        authority: "Gatineau",
    },
    NamePool {
        country: "UTO",
        surnames: &["Eriksson", "Specimen", "Utopian"],
        given: &["Anna Maria", "Happy", "Mustermann"],
        places: &["Zenith", "Utopia City"],
        authority: "Utopia Passport Office",
    },
];

const DOC_LETTERS: &[u8] = b"CFGHJKLMNPRTVWXYZ";

impl SpecimenSpec {
    /// A random, realistic specimen of a random format, valid on 2026-01-01
    /// (holder adult, document not expired). See [`SpecimenSpec::random_valid_on`].
    ///
    /// ```
    /// use idverify_testkit::{SpecimenSpec, rand::SeedableRng, ChaCha8Rng};
    /// let mut rng = ChaCha8Rng::seed_from_u64(7);
    /// let a = SpecimenSpec::random(&mut rng);
    /// let b = SpecimenSpec::random(&mut ChaCha8Rng::seed_from_u64(7));
    /// assert_eq!(a, b);
    /// ```
    pub fn random<R: Rng + ?Sized>(rng: &mut R) -> Self {
        let format = *DocFormat::ICAO.choose(rng).unwrap_or(&DocFormat::Td3);
        Self::random_of(format, rng)
    }

    /// A random specimen of `format`, valid on 2026-01-01.
    pub fn random_of<R: Rng + ?Sized>(format: DocFormat, rng: &mut R) -> Self {
        let reference = Date::new(2026, 1, 1).unwrap_or(FALLBACK_DATE);
        Self::random_valid_on(format, reference, rng)
    }

    /// A random specimen of `format` whose holder is 18–85 and whose document is unexpired on `today`.
    pub fn random_valid_on<R: Rng + ?Sized>(format: DocFormat, today: Date, rng: &mut R) -> Self {
        let french = format == DocFormat::FrenchId;
        let pool = if french {
            NAME_POOLS
                .iter()
                .find(|p| p.country == "FRA")
                .unwrap_or(&NAME_POOLS[0])
        } else {
            NAME_POOLS.choose(rng).unwrap_or(&NAME_POOLS[0])
        };
        let issuing_state = pool.country.to_owned();
        let nationality = if rng.random_bool(0.1) && !french {
            COUNTRIES
                .choose(rng)
                .map_or_else(|| issuing_state.clone(), |c| c.0.to_owned())
        } else {
            issuing_state.clone()
        };
        let pick = |list: &[&str], rng: &mut R| list.choose(rng).copied().unwrap_or("X").to_owned();
        let mut surname = pick(pool.surnames, rng);
        if rng.random_bool(0.08) {
            // A double surname, long enough to be truncated in the narrow MRZ formats.
            surname = format!("{surname}-{}", pick(pool.surnames, rng));
        }
        let mut given_names = pick(pool.given, rng);
        if rng.random_bool(0.25) {
            let second = pick(pool.given, rng);
            if second != given_names {
                given_names = format!("{given_names} {second}");
            }
        }
        let place_of_birth = if rng.random_bool(0.1) {
            let other = NAME_POOLS.choose(rng).unwrap_or(pool);
            pick(other.places, rng)
        } else {
            pick(pool.places, rng)
        };
        let today_n = today.day_number();
        let age_days = rng.random_range(18 * 366..85 * 365);
        let birth_date = Date::from_day_number(today_n - age_days).unwrap_or(FALLBACK_DATE);
        let validity: u16 = if french {
            15
        } else if rng.random_bool(0.3) {
            5
        } else {
            10
        };
        let min_issue = today.day_number() - i64::from(validity - 1) * 365;
        // The French card was issued until August 2021.
        let max_issue = if french {
            (today_n - 20).min(Date::new(2021, 7, 31).unwrap_or(today).day_number())
        } else {
            today_n - 20
        };
        let issue_n = rng.random_range(min_issue..max_issue.max(min_issue + 1));
        let issue_date = Date::from_day_number(issue_n).unwrap_or(today);
        let expiry_date = issue_date.add_years(validity).previous_day();
        let sex = match rng.random_range(0..100) {
            0..=2 if !french => Sex::X,
            0..=51 if french => Sex::M,
            3..=51 => Sex::M,
            _ => Sex::F,
        };
        let document_number = if french {
            french_card_number(issue_date, rng)
        } else {
            random_document_number(rng)
        };
        let personal_number = if rng.random_bool(0.5) && !french {
            // It must fit the MRZ field that carries it: 7 characters of TD2 optional data.
            let max = if format == DocFormat::Td2 { 7 } else { 11 };
            let len = rng.random_range(6..=max);
            Some(
                (0..len)
                    .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
                    .collect(),
            )
        } else {
            None
        };
        Self {
            format,
            issuing_state,
            nationality,
            document_number,
            surname,
            given_names,
            birth_date,
            expiry_date,
            issue_date,
            sex,
            place_of_birth,
            personal_number,
            authority: pool.authority.to_owned(),
            layout: *Layout::ALL.choose(rng).unwrap_or(&Layout::Classic),
            labels: *LabelLanguage::ALL
                .choose(rng)
                .unwrap_or(&LabelLanguage::English),
            date_style: if french {
                DateStyle::Dotted
            } else {
                *DateStyle::ALL.choose(rng).unwrap_or(&DateStyle::Dotted)
            },
            font: *PrintedFont::ALL
                .choose(rng)
                .unwrap_or(&PrintedFont::DejavuSans),
            seed: rng.random(),
            printed_overrides: BTreeMap::new(),
            mrz_override: None,
        }
    }

    /// The country name printed in the header, from [`COUNTRIES`] (the code itself if unknown).
    pub fn country_name(&self) -> &str {
        COUNTRIES
            .iter()
            .find(|c| c.0 == self.issuing_state)
            .map_or(self.issuing_state.as_str(), |c| c.1)
    }

    /// The values of the visual zone as printed, overrides applied. Only fields the
    /// format prints are present.
    pub fn printed_values(&self) -> BTreeMap<Field, String> {
        let style = self.date_style;
        let mut m = BTreeMap::new();
        m.insert(Field::DocumentType, self.format.document_code().to_owned());
        m.insert(Field::IssuingState, self.issuing_state.clone());
        m.insert(Field::DocumentNumber, self.document_number.clone());
        m.insert(Field::Surname, self.surname.clone());
        m.insert(Field::GivenNames, self.given_names.clone());
        m.insert(Field::Nationality, self.nationality.clone());
        m.insert(Field::DateOfBirth, self.birth_date.printed(style));
        m.insert(Field::Sex, self.sex.printed().to_owned());
        m.insert(Field::DateOfIssue, self.issue_date.printed(style));
        m.insert(Field::DateOfExpiry, self.expiry_date.printed(style));
        m.insert(Field::Authority, self.authority.clone());
        if matches!(self.format, DocFormat::FrenchId) {
            m.remove(&Field::IssuingState);
            m.remove(&Field::Nationality);
            m.insert(Field::PlaceOfBirth, self.place_of_birth.clone());
        } else if !matches!(self.format, DocFormat::Mrva | DocFormat::Mrvb) {
            m.insert(Field::PlaceOfBirth, self.place_of_birth.clone());
            if let Some(p) = &self.personal_number {
                m.insert(Field::PersonalNumber, p.clone());
            }
        }
        for (field, value) in &self.printed_overrides {
            m.insert(*field, value.clone());
        }
        m
    }
}

const FALLBACK_DATE: Date = crate::date::Y2K;

/// `YYMM` of issue, a department (3 characters), a 5-digit serial.
fn french_card_number<R: Rng + ?Sized>(issue: Date, rng: &mut R) -> String {
    const DEPARTMENTS: [&str; 8] = ["750", "920", "130", "690", "2A0", "330", "974", "590"];
    let dept = DEPARTMENTS.choose(rng).copied().unwrap_or("750");
    format!(
        "{:02}{:02}{dept}{:05}",
        issue.year() % 100,
        issue.month(),
        rng.random_range(0..100_000)
    )
}

fn random_document_number<R: Rng + ?Sized>(rng: &mut R) -> String {
    // National patterns: a letter then digits and letters mixed (German style), or two letters then digits.
    let mut s = String::with_capacity(9);
    let style = rng.random_range(0..3);
    for i in 0..9 {
        let letter = match style {
            0 => i == 0 || rng.random_bool(0.3),
            1 => i < 2,
            _ => rng.random_bool(0.2),
        };
        let c = if letter {
            DOC_LETTERS.choose(rng).map_or('X', |b| char::from(*b))
        } else {
            char::from(b'0' + rng.random_range(0..10u8))
        };
        s.push(c);
    }
    // Always both letters and digits, the hard case for a reader (O/0, I/1, B/8).
    if !s.chars().any(|c| c.is_ascii_digit()) {
        s.replace_range(8..9, "7");
    }
    if !s.chars().any(|c| c.is_ascii_uppercase()) {
        let at = rng.random_range(0..9);
        let letter = DOC_LETTERS.choose(rng).map_or('X', |b| char::from(*b));
        s.replace_range(at..at + 1, letter.encode_utf8(&mut [0u8; 4]));
    }
    s
}
