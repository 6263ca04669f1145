//! Folds constant `DequantizeLinear` nodes (the blocked int8 weights of the shipped YuNet and
//! SFace builds) into float initializers, so `rten`, which lacks blocked dequantization, can
//! load the models, and turns `Dropout` (a no-op at inference) into `Identity`. Done once, when
//! the models are loaded; the file on disk stays the one the
//! wheel ships (its SHA-256 is checked by the set-up script).

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use rten_onnx::onnx::{DataType, GraphProto, ModelProto, TensorProto};

use crate::Error;

/// The values of a constant tensor as `f32`, for the element types the quantized models use.
fn values(t: &TensorProto) -> Option<Vec<f32>> {
    let dt = t.data_type?;
    if let Some(raw) = &t.raw_data {
        let raw = raw.borrow();
        return match dt {
            DataType::FLOAT => Some(
                raw.chunks_exact(4)
                    .map(|c| f32::from_le_bytes(c.try_into().unwrap_or([0; 4])))
                    .collect(),
            ),
            DataType::INT8 => Some(raw.iter().map(|&b| f32::from(b as i8)).collect()),
            DataType::UINT8 => Some(raw.iter().map(|&b| f32::from(b)).collect()),
            _ => None,
        };
    }
    match dt {
        DataType::FLOAT => Some(t.float_data.clone()),
        // int8/uint8 values are stored one per int32 when not raw.
        DataType::INT8 | DataType::UINT8 => Some(t.int32_data.iter().map(|&v| v as f32).collect()),
        _ => None,
    }
}

fn element_count(dims: &[i64]) -> Option<usize> {
    dims.iter()
        .try_fold(1usize, |n, &d| n.checked_mul(usize::try_from(d).ok()?))
}

/// `(x - zero_point) * scale` with the scale per tensor, per axis or per block along `axis`.
fn dequantize(
    x: &TensorProto,
    scale: &TensorProto,
    zero: Option<&TensorProto>,
    axis: i64,
    block: i64,
) -> Option<Vec<f32>> {
    let xv = values(x)?;
    let sv = values(scale)?;
    let zv = match zero {
        Some(z) => values(z)?,
        None => vec![0.0; sv.len()],
    };
    if zv.len() != sv.len() || element_count(&x.dims)? != xv.len() {
        return None;
    }
    let rank = i64::try_from(x.dims.len()).ok()?;
    let axis = usize::try_from(if axis < 0 { axis + rank } else { axis }).ok()?;
    let len_at = |i: usize| x.dims.get(i).and_then(|&d| usize::try_from(d).ok());
    let along = len_at(axis).unwrap_or(1);
    let inner = element_count(x.dims.get(axis + 1..).unwrap_or(&[]))?;
    let block = usize::try_from(block).ok()?;
    let mut out = Vec::with_capacity(xv.len());
    for (i, &q) in xv.iter().enumerate() {
        let k = if sv.len() == 1 {
            0
        } else {
            let outer = i / (along * inner);
            let a = (i / inner) % along;
            let r = i % inner;
            if block == 0 {
                a
            } else {
                let blocks = along.div_ceil(block);
                (outer * blocks + a / block) * inner + r
            }
        };
        out.push((q - *zv.get(k)?) * *sv.get(k)?);
    }
    Some(out)
}

fn fold_graph(graph: &mut GraphProto) -> Result<usize, Error> {
    let mut folded = 0;
    let mut consts: HashMap<String, usize> = graph
        .initializer
        .iter()
        .enumerate()
        .filter_map(|(i, t)| t.name.clone().map(|n| (n, i)))
        .collect();
    let mut keep = Vec::with_capacity(graph.node.len());
    for mut node in std::mem::take(&mut graph.node) {
        // Dropout does nothing at inference; rten runs it only with its `random` feature.
        if node.op_type.as_deref() == Some("Dropout") {
            node.op_type = Some("Identity".into());
            node.input.truncate(1);
            node.output.truncate(1);
            node.attribute.clear();
            folded += 1;
        }
        let is_dq = node.op_type.as_deref() == Some("DequantizeLinear");
        let inputs: Option<Vec<&TensorProto>> = node
            .input
            .iter()
            .filter(|n| !n.is_empty())
            .map(|n| consts.get(n).and_then(|&i| graph.initializer.get(i)))
            .collect();
        let (Some(inputs), Some(out)) = (inputs.filter(|_| is_dq), node.output.first()) else {
            keep.push(node);
            continue;
        };
        let attr = |name: &str| {
            node.attribute
                .iter()
                .find(|a| a.name.as_deref() == Some(name))
                .and_then(|a| a.i)
        };
        let (Some(x), Some(scale)) = (inputs.first(), inputs.get(1)) else {
            keep.push(node);
            continue;
        };
        let data = dequantize(
            x,
            scale,
            inputs.get(2).copied(),
            attr("axis").unwrap_or(1),
            attr("block_size").unwrap_or(0),
        )
        .ok_or_else(|| Error::ModelLoad {
            which: "face",
            message: format!("cannot dequantize {out}"),
        })?;
        let raw: Vec<u8> = data.iter().flat_map(|v| v.to_le_bytes()).collect();
        let tensor = TensorProto {
            dims: x.dims.clone(),
            data_type: Some(DataType::FLOAT),
            raw_data: Some(RefCell::new(raw)),
            name: Some(out.clone()),
            ..TensorProto::default()
        };
        consts.insert(out.clone(), graph.initializer.len());
        graph.initializer.push(tensor);
        folded += 1;
    }
    graph.node = keep;
    // Drop initializers nothing reads any more (the int8 data, scales, zero points), and graph
    // inputs that are really constants or node outputs (old exporters list weights as inputs).
    let used: HashSet<&str> = graph
        .node
        .iter()
        .flat_map(|n| n.input.iter().map(String::as_str))
        .chain(graph.output.iter().filter_map(|o| o.name.as_deref()))
        .collect();
    let initializers: Vec<TensorProto> = std::mem::take(&mut graph.initializer)
        .into_iter()
        .filter(|t| t.name.as_deref().is_some_and(|n| used.contains(n)))
        .collect();
    let produced: HashSet<&str> = graph
        .node
        .iter()
        .flat_map(|n| n.output.iter().map(String::as_str))
        .chain(initializers.iter().filter_map(|t| t.name.as_deref()))
        .collect();
    let inputs = std::mem::take(&mut graph.input)
        .into_iter()
        .filter(|i| i.name.as_deref().is_some_and(|n| !produced.contains(n)))
        .collect();
    graph.input = inputs;
    graph.initializer = initializers;
    Ok(folded)
}

/// The model's bytes with every constant `DequantizeLinear` folded into a float initializer;
/// the bytes unchanged when there is none.
pub(crate) fn fold_dequantize(bytes: &[u8]) -> Result<Vec<u8>, Error> {
    let load_err = |message: String| Error::ModelLoad {
        which: "face",
        message,
    };
    let mut model = ModelProto::parse_buf(bytes).map_err(|e| load_err(e.to_string()))?;
    let Some(graph) = model.graph.as_mut() else {
        return Err(load_err("the file has no graph".into()));
    };
    if fold_graph(graph)? == 0 {
        return Ok(bytes.to_vec());
    }
    model.write_buf().map_err(|e| load_err(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tensor(dims: &[i64], dt: DataType, raw: Vec<u8>) -> TensorProto {
        TensorProto {
            dims: dims.to_vec(),
            data_type: Some(dt),
            raw_data: Some(RefCell::new(raw)),
            ..TensorProto::default()
        }
    }

    #[test]
    fn blocked_dequantization_uses_one_scale_per_block() {
        // 2 rows of 5, blocks of 2 along axis 1: 3 blocks per row.
        let x = tensor(&[2, 5], DataType::INT8, (0..10u8).collect());
        let scales: Vec<f32> = vec![1.0, 2.0, 3.0, 10.0, 20.0, 30.0];
        let s = tensor(
            &[2, 3],
            DataType::FLOAT,
            scales.iter().flat_map(|v| v.to_le_bytes()).collect(),
        );
        let z = tensor(&[2, 3], DataType::INT8, vec![0, 1, 0, 5, 0, 9]);
        let got = dequantize(&x, &s, Some(&z), 1, 2).unwrap();
        assert_eq!(
            got,
            vec![0.0, 1.0, 2.0, 4.0, 12.0, 0.0, 10.0, 140.0, 160.0, 0.0]
        );
    }

    #[test]
    fn per_axis_and_per_tensor_scales() {
        let x = tensor(&[2, 2], DataType::INT8, vec![1, 2, 3, 4]);
        let s = tensor(
            &[2],
            DataType::FLOAT,
            [0.5f32, 2.0].iter().flat_map(|v| v.to_le_bytes()).collect(),
        );
        assert_eq!(
            dequantize(&x, &s, None, 0, 0).unwrap(),
            vec![0.5, 1.0, 6.0, 8.0]
        );
        let one = tensor(&[], DataType::FLOAT, 3f32.to_le_bytes().to_vec());
        assert_eq!(
            dequantize(&x, &one, None, 0, 0).unwrap(),
            vec![3.0, 6.0, 9.0, 12.0]
        );
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(fold_dequantize(b"not a model at all").is_err());
    }
}
