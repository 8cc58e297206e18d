package dev.spalce.rewrap.job.service;

import dev.spalce.rewrap.job.model.RewrapJob;

/**
 * The answer to a rewrap request.
 *
 * @param job the job that will move the workspace's data keys
 * @param joined true when the request joined a job already running for that target, false when it started one
 */
public record JobRequest(RewrapJob job, boolean joined) {}
