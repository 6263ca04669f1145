//! The worker pool: each worker claims a job from the database queue, runs the document check
//! on a blocking thread while renewing its lease, and writes the Result exactly once. A crash
//! leaves the job's lease to expire; another worker (in this or another process) takes it over.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use idverify_wire::{Decision, ProcessingStatus, VerificationResult};
use tokio::sync::watch;
use tracing::Instrument;

use crate::check::{CheckInput, InputImage};
use crate::clock::CivilDate;
use crate::error::ServerError;
use crate::ids::random_name;
use crate::service::{Service, StoredAnswer};
use crate::store::{ClaimedJob, JobOutcome, NewDelivery};

/// Runs one worker until `shutdown` turns true.
pub async fn run_worker(svc: Arc<Service>, name: String, mut shutdown: watch::Receiver<bool>) {
    let poll = Duration::from_millis(svc.config.queue.poll_ms.max(10));
    loop {
        if *shutdown.borrow() {
            return;
        }
        let claimed = svc
            .store
            .claim_job(&name, svc.now(), svc.config.queue.lease_ms)
            .await;
        match claimed {
            Ok(Some(job)) => {
                let span = tracing::info_span!("job", verification = %job.verification_id, attempt = job.attempts);
                process(&svc, &name, job).instrument(span).await;
                continue;
            }
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "claiming a job failed"),
        }
        tokio::select! {
            _ = svc.work.notified() => {}
            _ = tokio::time::sleep(poll) => {}
            _ = shutdown.changed() => {}
        }
    }
}

async fn process(svc: &Arc<Service>, worker: &str, job: ClaimedJob) {
    let id = job.verification_id.clone();
    let result = with_lease(svc, worker, &id, run_job(svc, &id)).await;
    match result {
        Ok(outcome) => {
            let failed = matches!(outcome, JobOutcome::Failed { .. });
            match svc.store.finish_job(&id, worker, outcome, svc.now()).await {
                Ok(wrote) => {
                    if wrote {
                        let counter = if failed {
                            &svc.metrics.jobs_failed
                        } else {
                            &svc.metrics.jobs_done
                        };
                        counter.fetch_add(1, Ordering::Relaxed);
                        tracing::info!(failed, "verification processed");
                    } else {
                        tracing::info!("verification already processed; duplicate run ignored");
                    }
                }
                Err(e) => {
                    tracing::error!(error = %e, "writing the result failed; job will be retried");
                    let _ = svc.store.release_job(&id, worker).await;
                }
            }
        }
        Err(e) => {
            svc.metrics.jobs_retried.fetch_add(1, Ordering::Relaxed);
            if job.attempts >= svc.config.queue.max_attempts {
                tracing::error!(error = %e, "job failed too often; marking the verification failed");
                let outcome = failed_outcome(svc, &id);
                match outcome {
                    Ok(o) => {
                        let _ = svc.store.finish_job(&id, worker, o, svc.now()).await;
                    }
                    Err(e) => tracing::error!(error = %e, "cannot mark failed"),
                }
            } else {
                tracing::warn!(error = %e, "job failed; it will be retried");
                let _ = svc.store.release_job(&id, worker).await;
            }
        }
    }
}

/// Runs `work` while renewing the job's lease every third of its length.
async fn with_lease<F>(
    svc: &Arc<Service>,
    worker: &str,
    id: &str,
    work: F,
) -> Result<JobOutcome, ServerError>
where
    F: std::future::Future<Output = Result<JobOutcome, ServerError>>,
{
    let lease = svc.config.queue.lease_ms;
    let every = Duration::from_millis(u64::try_from(lease / 3).unwrap_or(1000).max(10));
    tokio::pin!(work);
    loop {
        tokio::select! {
            r = &mut work => return r,
            _ = tokio::time::sleep(every) => {
                match svc.store.renew_lease(id, worker, svc.now() + lease).await {
                    Ok(true) => {}
                    Ok(false) => tracing::warn!("lease lost; the result write is idempotent"),
                    Err(e) => tracing::warn!(error = %e, "renewing the lease failed"),
                }
            }
        }
    }
}

fn failed_outcome(svc: &Service, id: &str) -> Result<JobOutcome, ServerError> {
    Ok(JobOutcome::Failed {
        result: svc
            .sealer
            .seal(b"{}", &format!("verification:{id}:result"))?,
    })
}

async fn run_job(svc: &Arc<Service>, id: &str) -> Result<JobOutcome, ServerError> {
    let Some(row) = svc.store.verification(id).await? else {
        return Err(ServerError::Corrupt(format!(
            "job for missing verification {id}"
        )));
    };
    if row.status != "processing" || row.erased_at.is_some() {
        // Already written by an earlier run (or erased): closing the job is all that is left.
        return failed_outcome(svc, id);
    }
    let meta = svc.open_meta(&row)?;
    let files = svc.store.files(id).await?;
    let mut front = None;
    let mut back = None;
    let mut selfie = None;
    for f in &files {
        let img = InputImage {
            bytes: svc.blobs.get(&f.blob, &format!("{id}:{}", f.kind)).await?,
            media_type: f.media_type.clone(),
        };
        match f.kind.as_str() {
            "front" => front = Some(img),
            "back" => back = Some(img),
            "selfie" => selfie = Some(img),
            _ => {}
        }
    }
    let Some(front) = front else {
        return failed_outcome(svc, id);
    };
    let input = CheckInput {
        front,
        back,
        selfie,
        today: CivilDate::from_unix_ms(svc.now()),
        app_id: row.app_id.clone(),
    };
    let check = Arc::clone(&svc.check);
    let output = tokio::task::spawn_blocking(move || check.check(&input))
        .await
        .map_err(|e| ServerError::Corrupt(format!("document check panicked: {e}")))?;
    let output = match output {
        Ok(o) => o,
        Err(e) => {
            tracing::warn!(error = %e, "document check could not run");
            return failed_outcome(svc, id);
        }
    };
    let mut attributes = output.attributes;
    attributes.reference_id = meta.external_id.clone();
    let decision = if output.results.status == Decision::Pending {
        Decision::NeedsReview
    } else {
        output.results.status
    };
    let mut results = output.results;
    results.status = decision;
    let data = VerificationResult {
        results,
        checks: output.checks,
        documents: svc.documents(id, &files),
        metadata: meta.metadata,
        status: ProcessingStatus::Done,
        attributes,
        mrz: output.mrz,
        document_data_checking: output.document_data_checking,
    };
    let answer = StoredAnswer {
        signed: svc.sign_result(id, &data)?,
        callback_signed: svc.sign_callback(id)?,
        data,
    };
    let webhook = match svc.store.app_webhook(&row.app_id).await? {
        Some(url) => {
            let delivery_id = random_name()?;
            let body = serde_json::to_vec(&svc.callback(id, &answer))?;
            Some(NewDelivery {
                body: svc
                    .sealer
                    .seal(&body, &crate::webhook::body_context(&delivery_id))?,
                id: delivery_id,
                app_id: row.app_id.clone(),
                url,
            })
        }
        None => None,
    };
    Ok(JobOutcome::Done {
        decision: decision.as_str().to_owned(),
        result: svc.seal_answer(id, &answer)?,
        webhook,
    })
}
