//! Rendering and degrading one specimen: the cost every fixture-based test pays per document.

use criterion::{Criterion, criterion_group, criterion_main};
use idverify_testkit::rand::SeedableRng;
use idverify_testkit::{
    ChaCha8Rng, Degradation, DegradeLevel, DocFormat, RenderOptions, SpecimenSpec, degrade, render,
};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let opts = RenderOptions::default();
    for format in [DocFormat::Td3, DocFormat::Td1] {
        let spec = SpecimenSpec::random_of(format, &mut ChaCha8Rng::seed_from_u64(1));
        c.bench_function(&format!("render {format} 300 dpi"), |b| {
            b.iter(|| render(black_box(&spec), &opts))
        });
    }
    let spec = SpecimenSpec::random_of(DocFormat::Td3, &mut ChaCha8Rng::seed_from_u64(2));
    let Ok(specimen) = render(&spec, &opts) else {
        return;
    };
    for level in [DegradeLevel::Mild, DegradeLevel::Hard] {
        let d = Degradation::random(level, &mut ChaCha8Rng::seed_from_u64(3));
        c.bench_function(&format!("degrade td3 {level:?}"), |b| {
            b.iter(|| {
                degrade(
                    black_box(&specimen.front),
                    &d,
                    &mut ChaCha8Rng::seed_from_u64(4),
                )
            })
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
