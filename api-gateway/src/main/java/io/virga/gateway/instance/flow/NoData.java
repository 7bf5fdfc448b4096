package io.virga.gateway.instance.flow;

/** The data of a flow that keeps none (its steps re-read the resource). */
public final class NoData {
}
