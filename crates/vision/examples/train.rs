//! Trains the MRZ character classifier from synthetic OCR-B renders.
//!
//! Usage: `train FONT.otf OUT.bin [SEED] [CELLS]`. Deterministic for a given seed.
//!
//! Each sample is made the way the reader sees a real line: an MRZ block of one to three
//! lines of random MRZ characters is rendered in OCR-B, degraded (stroke weight, perspective
//! slant and pitch change, glare, background pattern, low resolution, blur, noise, JPEG),
//! sampled into a strip with the library's own [`Strip::sample`] from slightly wrong geometry,
//! segmented with the library's [`segment`], and cut into cells with [`cell_input`]. Lines whose segmentation misses the truth are
//! counted and skipped.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use ab_glyph::{Font, FontRef, ScaleFont};
use idverify_vision::Gray;
use idverify_vision::recognise::{
    ALPHABET, CAP, CELL_H, CELL_W, Dense, Mlp, Strip, cell_input, segment, softmax,
};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn f(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
    fn range(&mut self, a: f32, b: f32) -> f32 {
        a + (b - a) * self.f()
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn normal(&mut self) -> f32 {
        let u1 = self.f().max(1e-7);
        let u2 = self.f();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f32::consts::PI * u2).cos()
    }
}

/// Glyph coverage bitmaps at the high resolution, placed in a cell of `adv` width.
struct Glyphs {
    cap: f32,
    adv: f32,
    /// (offset x, offset y from baseline, w, h, coverage)
    maps: Vec<(i32, i32, usize, usize, Vec<f32>)>,
}

fn render_glyphs(font: &FontRef, cap_px: f32) -> Glyphs {
    let cap_units = font
        .outline(font.glyph_id('H'))
        .map(|o| (o.bounds.max.y - o.bounds.min.y).abs())
        .unwrap_or(700.0);
    let upem = font.units_per_em().unwrap_or(1000.0);
    let px_scale = cap_px / cap_units * upem;
    let sf = font.as_scaled(px_scale);
    let adv = sf.h_advance(font.glyph_id('H'));
    let mut maps = Vec::new();
    for &c in ALPHABET {
        let g = font
            .glyph_id(char::from(c))
            .with_scale_and_position(px_scale, ab_glyph::point(0.0, 0.0));
        if let Some(og) = font.outline_glyph(g) {
            let b = og.px_bounds();
            let (w, h) = (b.width() as usize, b.height() as usize);
            let mut cov = vec![0f32; w * h];
            og.draw(|x, y, v| {
                if let Some(p) = cov.get_mut(y as usize * w + x as usize) {
                    *p = v;
                }
            });
            maps.push((b.min.x as i32, b.min.y as i32, w, h, cov));
        } else {
            maps.push((0, 0, 0, 0, Vec::new()));
        }
    }
    Glyphs {
        cap: cap_px,
        adv,
        maps,
    }
}

fn random_line(rng: &mut Rng, n: usize) -> Vec<usize> {
    let filler = ALPHABET.len() - 1;
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let r = rng.f();
        if r < 0.12 {
            let run = 1 + rng.below(12);
            for _ in 0..run {
                out.push(filler);
            }
        } else if r < 0.55 {
            out.push(10 + rng.below(26)); // letter
        } else {
            out.push(rng.below(36));
        }
    }
    out.truncate(n);
    out
}

fn gauss_blur(img: &mut [f32], w: usize, h: usize, sigma: f32) {
    if sigma < 0.3 {
        return;
    }
    let r = (sigma * 2.5).ceil() as i32;
    let k: Vec<f32> = (-r..=r)
        .map(|i| (-(i * i) as f32 / (2.0 * sigma * sigma)).exp())
        .collect();
    let ks: f32 = k.iter().sum();
    let k: Vec<f32> = k.iter().map(|v| v / ks).collect();
    let mut tmp = vec![0f32; w * h];
    for y in 0..h {
        for x in 0..w {
            let mut s = 0.0;
            for (j, kv) in k.iter().enumerate() {
                let xx = (x as i32 + j as i32 - r).clamp(0, w as i32 - 1) as usize;
                s += kv * img[y * w + xx];
            }
            tmp[y * w + x] = s;
        }
    }
    for y in 0..h {
        for x in 0..w {
            let mut s = 0.0;
            for (j, kv) in k.iter().enumerate() {
                let yy = (y as i32 + j as i32 - r).clamp(0, h as i32 - 1) as usize;
                s += kv * tmp[yy * w + x];
            }
            img[y * w + x] = s;
        }
    }
}

fn morph(cov: &[f32], w: usize, h: usize, grow: bool) -> Vec<f32> {
    let mut out = cov.to_vec();
    for y in 0..h {
        for x in 0..w {
            let mut v = cov[y * w + x];
            for (dx, dy) in [(-1i32, 0i32), (1, 0), (0, -1), (0, 1)] {
                let (xx, yy) = (x as i32 + dx, y as i32 + dy);
                if xx < 0 || yy < 0 || xx >= w as i32 || yy >= h as i32 {
                    continue;
                }
                let u = cov[yy as usize * w + xx as usize];
                v = if grow { v.max(u) } else { v.min(u) };
            }
            out[y * w + x] = v;
        }
    }
    out
}

/// Renders a degraded block and yields `(cells, labels)` for its middle line.
fn sample_block(
    rng: &mut Rng,
    glyphs: &Glyphs,
    cells: &mut Vec<f32>,
    labels: &mut Vec<u8>,
    stats: &mut (usize, usize),
) {
    let n = [30usize, 36, 44][rng.below(3)];
    let nlines = if n == 30 { 3 } else { 2 };
    let target = rng.below(nlines);
    // High-resolution geometry.
    let cap = glyphs.cap;
    let pitch_ratio = if rng.f() < 0.75 {
        rng.range(0.86, 1.08)
    } else {
        rng.range(1.08, 1.5)
    };
    let pitch = cap * pitch_ratio;
    let line_gap = cap * rng.range(1.45, 2.1);
    let margin = (cap * 2.0) as usize;
    let w = (pitch * n as f32) as usize + 2 * margin;
    let h = (line_gap * (nlines as f32 - 1.0) + cap) as usize + 2 * margin;
    let mut cov = vec![0f32; w * h];
    let stretch = rng.range(0.9, 1.1);
    // Perspective: vertical strokes slanted (the strip's cross direction is not the print's)
    // and the pitch changing along the line.
    let shear = (rng.normal() * 0.07).clamp(-0.2, 0.2);
    let curve = if rng.f() < 0.5 {
        rng.range(-0.07, 0.07) * pitch
    } else {
        0.0
    };
    let nf = n as f32;
    let mut truth = Vec::new();
    for li in 0..nlines {
        let text = random_line(rng, n);
        let base_y = margin as f32 + cap + li as f32 * line_gap;
        for (i, &c) in text.iter().enumerate() {
            let (ox, oy, gw, gh, ref m) = glyphs.maps[c];
            let fi = i as f32;
            let cell_x = margin as f32 + fi * pitch + curve * fi * (fi - nf) / nf;
            let pitch = pitch + curve * (2.0 * fi + 1.0 - nf) / nf;
            // Glyph centred in its cell (OCR-B is monospaced; centre the ink of the advance).
            let gx = cell_x + (pitch - glyphs.adv * stretch) * 0.5 + rng.normal() * 0.02 * cap;
            let gy = base_y + rng.normal() * 0.015 * cap;
            for yy in 0..gh {
                for xx in 0..gw {
                    let v = m[yy * gw + xx];
                    if v <= 0.0 {
                        continue;
                    }
                    let px = (gx + ox as f32 * stretch + xx as f32 * stretch
                        - shear * (oy as f32 + yy as f32)) as i32;
                    let py = (gy + oy as f32 + yy as f32) as i32;
                    if px >= 0 && py >= 0 && (px as usize) < w && (py as usize) < h {
                        let p = &mut cov[py as usize * w + px as usize];
                        *p = p.max(v);
                    }
                }
            }
        }
        if li == target {
            truth = text;
        }
    }
    // Stroke weight.
    match rng.below(6) {
        0 => cov = morph(&cov, w, h, false),
        1 | 2 => cov = morph(&cov, w, h, true),
        3 => {
            cov = morph(&cov, w, h, true);
            cov = morph(&cov, w, h, true);
        }
        _ => {}
    }
    // Luma with background pattern.
    let bg = rng.range(120.0, 255.0);
    let fg = rng.range(0.0, (bg - 70.0).max(5.0));
    let amp = if rng.f() < 0.5 {
        rng.range(0.0, 40.0)
    } else {
        0.0
    };
    let (fx, fy, ph) = (
        rng.range(0.002, 0.08),
        rng.range(0.002, 0.08),
        rng.range(0.0, std::f32::consts::TAU),
    );
    let grad = rng.range(-0.08, 0.08);
    let mut luma = vec![0f32; w * h];
    let sx: Vec<(f32, f32)> = (0..w)
        .map(|x| ((x as f32 * fx).sin(), (x as f32 * fx).cos()))
        .collect();
    for y in 0..h {
        let (sy, cy) = ((y as f32 * fy + ph).sin(), (y as f32 * fy + ph).cos());
        let m = amp * (y as f32 * fx * 0.7).cos();
        for x in 0..w {
            let c = cov[y * w + x];
            let (a, b) = sx[x];
            let pat = m * (a * cy + b * sy) + grad * (x as f32 - w as f32 * 0.5);
            let b = (bg + pat).clamp(0.0, 255.0);
            luma[y * w + x] = b * (1.0 - c) + fg * c;
        }
    }
    // A glare spot: the print washed out towards white.
    if rng.f() < 0.2 {
        let (gcx, gcy) = (rng.range(0.0, w as f32), rng.range(0.0, h as f32));
        let (grx, gry) = (
            rng.range(0.1, 0.4) * w as f32,
            rng.range(0.3, 1.0) * h as f32,
        );
        let strength = rng.range(0.2, 0.7);
        for y in 0..h {
            for x in 0..w {
                let (u, v) = ((x as f32 - gcx) / grx, (y as f32 - gcy) / gry);
                let g = strength * (-(u * u + v * v)).exp();
                let l = &mut luma[y * w + x];
                *l += (255.0 - *l) * g;
            }
        }
    }
    // Down to the native resolution.
    let native_cap = (rng.range(7.0f32.ln(), 34.0f32.ln())).exp();
    let r = native_cap / cap;
    let nw = ((w as f32 * r).round() as usize).max(8);
    let nh = ((h as f32 * r).round() as usize).max(8);
    let hi = Gray::from_raw(
        w,
        h,
        luma.iter()
            .map(|v| v.round().clamp(0.0, 255.0) as u8)
            .collect(),
    )
    .unwrap_or(Gray::new(1, 1, 0));
    let lo = hi.resize_area(nw, nh);
    let mut f: Vec<f32> = lo.data.iter().map(|&v| f32::from(v)).collect();
    gauss_blur(&mut f, nw, nh, rng.range(0.0, 1.3) * rng.f());
    let noise = rng.range(0.0, 14.0) * rng.f();
    for v in f.iter_mut() {
        *v = (*v + noise * rng.normal()).clamp(0.0, 255.0);
    }
    let mut native = Gray::from_raw(nw, nh, f.iter().map(|v| v.round() as u8).collect())
        .unwrap_or(Gray::new(1, 1, 0));
    if rng.f() < 0.5 {
        let q = 20 + rng.below(70) as u8;
        let mut buf = Vec::new();
        let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut buf, q);
        if image::ImageEncoder::write_image(
            enc,
            &native.data,
            nw as u32,
            nh as u32,
            image::ExtendedColorType::L8,
        )
        .is_ok()
            && let Ok(img) = image::load_from_memory(&buf)
        {
            native = Gray::from_image(&img);
        }
    }
    // Geometry as the locator would estimate it, with errors.
    let true_cy = (margin as f32 + cap * 0.5 + target as f32 * line_gap) * r;
    let true_x0 = margin as f32 * r;
    let true_pitch = pitch * r;
    let cap_est = native_cap * rng.range(0.85, 1.18);
    let cy = true_cy + rng.normal() * 0.08 * native_cap;
    let ang = rng.normal() * 0.006;
    let (dx, dy) = (ang.cos(), ang.sin());
    let left_true = true_x0;
    let right_true = true_x0 + n as f32 * true_pitch;
    let cx = (left_true + right_true) * 0.5;
    let hint_err = 0.3 * native_cap;
    let a0 = left_true - cx - 1.0 * cap_est;
    let a1 = right_true - cx + 1.0 * cap_est;
    let strip = Strip::sample(&native, cx, cy, dx, dy, a0, a1, cap_est);
    let s = cap_est / CAP;
    let hint = (
        (left_true - cx - a0 + rng.normal() * hint_err) / s,
        (right_true - cx - a0 + rng.normal() * hint_err) / s,
    );
    stats.0 += 1;
    let Some(seg) = segment(&strip, n, hint) else {
        return;
    };
    let tx0 = (left_true - cx - a0) / s;
    let tp = true_pitch / s;
    if (seg.x0 - tx0).abs() > 0.3 * tp
        || ((seg.x0 + n as f32 * seg.pitch) - (tx0 + n as f32 * tp)).abs() > 0.3 * tp
    {
        stats.1 += 1;
        if std::env::var("DBG").is_ok() && stats.1 < 30 {
            eprintln!(
                "n={n} x0 {:.1} vs {:.1} end {:.1} vs {:.1} pitch {:.2} vs {:.2} top {:.1} bot {:.1} native_cap {native_cap:.1} cap_est {cap_est:.1}",
                seg.x0,
                tx0,
                seg.x0 + n as f32 * seg.pitch,
                tx0 + n as f32 * tp,
                seg.pitch,
                tp,
                seg.top,
                seg.bottom
            );
        }
        return;
    }
    let mut input = vec![0f32; CELL_W * CELL_H];
    for (i, &c) in truth.iter().enumerate() {
        // Skip most '<' to keep classes balanced.
        if c == ALPHABET.len() - 1 && rng.f() < 0.6 {
            continue;
        }
        let shift = (rng.normal() * 0.06 * seg.pitch, rng.normal() * 0.5);
        cell_input(&strip, &seg, i as isize, shift, &mut input);
        cells.extend_from_slice(&input);
        labels.push(c as u8);
    }
}

fn init_layer(rng: &mut Rng, inputs: usize, outputs: usize) -> Dense {
    let sd = (2.0 / inputs as f32).sqrt();
    Dense {
        inputs,
        outputs,
        w: (0..inputs * outputs).map(|_| rng.normal() * sd).collect(),
        b: vec![0.0; outputs],
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let font_path = args
        .get(1)
        .cloned()
        .unwrap_or("/usr/share/fonts/opentype/ocr-b/OCRB.otf".into());
    let out_path = args
        .get(2)
        .cloned()
        .unwrap_or("crates/vision/weights/mrz-ocrb-mlp.bin".into());
    let seed: u64 = args
        .get(3)
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_261_127);
    let want: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(300_000);
    let epochs: usize = args.get(5).and_then(|s| s.parse().ok()).unwrap_or(6);
    let font_bytes = std::fs::read(&font_path).expect("read font");
    let font = FontRef::try_from_slice(&font_bytes).expect("parse font");
    let glyphs = render_glyphs(&font, 32.0);
    eprintln!("font advance/cap = {:.3}", glyphs.adv / glyphs.cap);
    let mut rng = Rng(seed);
    let d = CELL_W * CELL_H;
    let (mut cells, mut labels) = (Vec::new(), Vec::new());
    let mut stats = (0usize, 0usize);
    let t = std::time::Instant::now();
    while labels.len() < want {
        sample_block(&mut rng, &glyphs, &mut cells, &mut labels, &mut stats);
    }
    eprintln!(
        "{} cells from {} lines ({} mis-segmented, {:.1}%) in {:?}",
        labels.len(),
        stats.0,
        stats.1,
        100.0 * stats.1 as f32 / stats.0 as f32,
        t.elapsed()
    );
    // Hold out 5% for validation.
    let n = labels.len();
    let nval = n / 20;
    let ntrain = n - nval;
    let sizes = [d, 192, 96, ALPHABET.len()];
    let mut layers: Vec<Dense> = sizes
        .windows(2)
        .map(|s| init_layer(&mut rng, s[0], s[1]))
        .collect();
    let mut vel: Vec<(Vec<f32>, Vec<f32>)> = layers
        .iter()
        .map(|l| (vec![0.0; l.w.len()], vec![0.0; l.b.len()]))
        .collect();
    let mut order: Vec<usize> = (0..ntrain).collect();
    let batch = 32;
    for epoch in 0..epochs {
        for i in (1..order.len()).rev() {
            let j = rng.below(i + 1);
            order.swap(i, j);
        }
        let lr = 0.03 * (0.5f32).powf(epoch as f32 * 4.0 / epochs as f32);
        let mut loss = 0.0f64;
        let mut grads: Vec<(Vec<f32>, Vec<f32>)> = layers
            .iter()
            .map(|l| (vec![0.0; l.w.len()], vec![0.0; l.b.len()]))
            .collect();
        for (bi, chunk) in order.chunks(batch).enumerate() {
            for g in grads.iter_mut() {
                g.0.iter_mut().for_each(|v| *v = 0.0);
                g.1.iter_mut().for_each(|v| *v = 0.0);
            }
            for &s in chunk {
                let x = &cells[s * d..(s + 1) * d];
                // Forward, keeping activations.
                let mut acts: Vec<Vec<f32>> = vec![x.to_vec()];
                for (li, l) in layers.iter().enumerate() {
                    let inp = acts.last().unwrap();
                    let mut o = l.b.clone();
                    for (k, ov) in o.iter_mut().enumerate() {
                        *ov += idverify_vision::recognise::dot(
                            &l.w[k * l.inputs..(k + 1) * l.inputs],
                            inp,
                        );
                    }
                    if li + 1 < layers.len() {
                        o.iter_mut().for_each(|v| *v = v.max(0.0));
                    }
                    acts.push(o);
                }
                let mut p = acts.last().unwrap().clone();
                softmax(&mut p);
                let y = labels[s] as usize;
                loss -= f64::from(p[y].max(1e-9).ln());
                // Backward.
                let mut delta: Vec<f32> = p;
                delta[y] -= 1.0;
                for li in (0..layers.len()).rev() {
                    let l = &layers[li];
                    let inp = &acts[li];
                    let (gw, gb) = &mut grads[li];
                    for (k, dk) in delta.iter().enumerate() {
                        if *dk == 0.0 {
                            continue;
                        }
                        gb[k] += dk;
                        let row = &mut gw[k * l.inputs..(k + 1) * l.inputs];
                        for (r, xv) in row.iter_mut().zip(inp) {
                            *r += dk * xv;
                        }
                    }
                    if li > 0 {
                        let mut nd = vec![0f32; l.inputs];
                        for (k, dk) in delta.iter().enumerate() {
                            if *dk == 0.0 {
                                continue;
                            }
                            let row = &l.w[k * l.inputs..(k + 1) * l.inputs];
                            for (n, wv) in nd.iter_mut().zip(row) {
                                *n += dk * wv;
                            }
                        }
                        for (n, a) in nd.iter_mut().zip(inp) {
                            if *a <= 0.0 {
                                *n = 0.0;
                            }
                        }
                        delta = nd;
                    }
                }
            }
            let scale = lr / chunk.len() as f32;
            for (li, l) in layers.iter_mut().enumerate() {
                let (gw, gb) = &grads[li];
                let (vw, vb) = &mut vel[li];
                for ((w, v), g) in l.w.iter_mut().zip(vw.iter_mut()).zip(gw) {
                    *v = 0.9 * *v - scale * (g + 1e-4 * *w * chunk.len() as f32);
                    *w += *v;
                }
                for ((b, v), g) in l.b.iter_mut().zip(vb.iter_mut()).zip(gb) {
                    *v = 0.9 * *v - scale * g;
                    *b += *v;
                }
            }
            if bi % 2000 == 0 && bi > 0 {
                eprint!(".");
            }
        }
        let mlp = Mlp {
            layers: layers.clone(),
        };
        let mut wrong = 0usize;
        for s in ntrain..n {
            let p = mlp.probabilities(&cells[s * d..(s + 1) * d]);
            let best = p
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1))
                .map(|x| x.0)
                .unwrap_or(0);
            if best != labels[s] as usize {
                wrong += 1;
            }
        }
        eprintln!(
            "\nepoch {epoch}: lr {lr:.4} train loss {:.4}, validation error {:.3}% ({wrong}/{nval}) at {:?}",
            loss / ntrain as f64,
            100.0 * wrong as f32 / nval as f32,
            t.elapsed()
        );
    }
    let mlp = Mlp { layers };
    std::fs::write(&out_path, mlp.to_bytes()).expect("write weights");
    eprintln!("wrote {out_path}");
}
