//! Prints the MRZ band candidates found in each image given on the command line and writes
//! `/tmp/dbg_<name>.png`: the working frame (top) and its text mask with the found lines (bottom).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use idverify_vision::{Gray, IntakeLimits, decode_image, locate};

fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).unwrap();
        let img = decode_image(&bytes, &IntakeLimits::default()).unwrap();
        let g = Gray::from_image(&img);
        let t = std::time::Instant::now();
        let frames = locate::frames(&g, 1000);
        let mut all = Vec::new();
        for (i, f) in frames.iter().enumerate() {
            let lines = locate::text_lines(&f.img);
            if i == 0 {
                let mask = locate::text_mask(&f.img);
                let (w, h) = (f.img.w, f.img.h);
                let mut out = image::RgbImage::new(w as u32, 2 * h as u32);
                for y in 0..h {
                    for x in 0..w {
                        let v = f.img.data[y * w + x];
                        out.put_pixel(x as u32, y as u32, image::Rgb([v, v, v]));
                        let m = if mask[y * w + x] { 255 } else { 0 };
                        out.put_pixel(x as u32, (y + h) as u32, image::Rgb([m, m, m]));
                    }
                }
                for l in &lines {
                    let (dx, dy) = (l.angle.cos(), l.angle.sin());
                    let mut a = l.left;
                    while a < l.right {
                        for off in [-l.height * 0.5, l.height * 0.5] {
                            let x = l.cx + a * dx - off * dy;
                            let y = l.cy + a * dy + off * dx;
                            if x >= 0.0 && y >= 0.0 && (x as usize) < w && (y as usize) < h {
                                out.put_pixel(
                                    x as u32,
                                    (y as usize + h) as u32,
                                    image::Rgb([255, 0, 0]),
                                );
                            }
                        }
                        a += 1.0;
                    }
                }
                let name = std::path::Path::new(&path)
                    .file_stem()
                    .unwrap()
                    .to_string_lossy()
                    .to_string();
                out.save(format!("/tmp/dbg_{name}.png")).unwrap();
                println!("  frame0 lines: {}", lines.len());
            }
            all.extend(locate::bands(&lines, i));
        }
        all.sort_by(|a, b| b.score.total_cmp(&a.score));
        println!(
            "{path} {}x{} {:?} bands={}",
            g.w,
            g.h,
            t.elapsed(),
            all.len()
        );
        for b in all.iter().take(3) {
            let l = &b.lines[0];
            println!(
                "  f{} n={} score={:.2} h={:.1} len={:.0} ratio={:.2} ang={:.1} counts={:?} c=({:.0},{:.0})",
                b.frame,
                b.lines.len(),
                b.score,
                l.height,
                l.length(),
                l.length() / l.height,
                l.angle.to_degrees(),
                b.lines.iter().map(|l| l.count).collect::<Vec<_>>(),
                l.cx,
                l.cy
            );
        }
    }
}
