package io.redoubt.protocol.api;

/**
 * The answer to an enrollment: the device with its certificate chain, and the proof that the
 * certificate is in the transparency log, so the device can check its own entry before it is used.
 *
 * @param device the enrolled device; {@code certificatePem} holds the chain, device first
 * @param treeHead a signed tree head that covers {@code device.issuedLogIndex}
 * @param inclusionProof the issue leaf's inclusion proof in {@code treeHead}
 */
public record EnrollmentResponse(
    DeviceResponse device, TreeHeadResponse treeHead, InclusionProofResponse inclusionProof) {}
