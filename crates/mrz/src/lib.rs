//! ICAO 9303 machine readable zones: parse, validate, generate and correct.
