package io.virga.tf.provider;

import io.virga.tf.protocol.Tfplugin6.AttributePath;
import io.virga.tf.protocol.Tfplugin6.Diagnostic;

/** Builders of the diagnostics Terraform prints. */
final class Diagnostics {
    private Diagnostics() {
    }

    static Diagnostic error(String summary, String detail) {
        return Diagnostic.newBuilder().setSeverity(Diagnostic.Severity.ERROR).setSummary(summary)
                .setDetail(detail == null ? "" : detail).build();
    }

    /** An error about one attribute: Terraform points at it in the configuration. */
    static Diagnostic attributeError(String attribute, String message) {
        return Diagnostic.newBuilder().setSeverity(Diagnostic.Severity.ERROR).setSummary("Invalid " + attribute)
                .setDetail(attribute + " " + message).setAttribute(path(attribute)).build();
    }

    static AttributePath path(String attribute) {
        return AttributePath.newBuilder().addSteps(AttributePath.Step.newBuilder().setAttributeName(attribute))
                .build();
    }
}
