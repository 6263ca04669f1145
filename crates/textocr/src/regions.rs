//! Connected regions of a pixel grid, the one flood fill the detector's text kernels and the
//! mark restoration's ink blobs and paper pockets share.

/// The connected regions of the `w` × `h` grid (row by row) where `on(index)` holds, each as
/// the indices of its pixels, in the order of their first pixel. `eight`: diagonal neighbours
/// connect too (else only the four sides).
pub(crate) fn regions(
    w: usize,
    h: usize,
    eight: bool,
    on: impl Fn(usize) -> bool,
) -> Vec<Vec<usize>> {
    let mut seen = vec![false; w * h];
    let mut out = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    for start in 0..w * h {
        if !on(start) || seen.get(start).copied().unwrap_or(true) {
            continue;
        }
        if let Some(s) = seen.get_mut(start) {
            *s = true;
        }
        stack.push(start);
        let mut region = Vec::new();
        while let Some(i) = stack.pop() {
            region.push(i);
            let (x, y) = ((i % w) as i64, (i / w) as i64);
            for dy in -1i64..=1 {
                for dx in -1i64..=1 {
                    if (dx == 0 && dy == 0) || (!eight && dx != 0 && dy != 0) {
                        continue;
                    }
                    let (nx, ny) = (x + dx, y + dy);
                    if nx < 0 || ny < 0 || nx >= w as i64 || ny >= h as i64 {
                        continue;
                    }
                    let j = ny as usize * w + nx as usize;
                    if let Some(s) = seen.get_mut(j)
                        && !*s
                        && on(j)
                    {
                        *s = true;
                        stack.push(j);
                    }
                }
            }
        }
        out.push(region);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagonals_join_only_with_eight_neighbours() {
        // Two pixels touching at a corner, and one apart.
        let (w, h) = (5, 2);
        let on = |i: usize| [0usize, 6, 4].contains(&i);
        let eight = regions(w, h, true, on);
        assert_eq!(eight.len(), 2);
        assert_eq!(eight[0].len(), 2);
        let four = regions(w, h, false, on);
        assert_eq!(four.len(), 3);
        // In the order of their first pixel.
        assert_eq!(four.iter().map(|r| r[0]).collect::<Vec<_>>(), [0, 4, 6]);
    }
}
