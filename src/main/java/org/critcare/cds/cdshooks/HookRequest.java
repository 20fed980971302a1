package org.critcare.cds.cdshooks;

import org.critcare.cds.recommendation.HookCall;

/**
 * A parsed, validated service call: the domain call plus the hook instance that names it.
 */
record HookRequest(String hookInstance, HookCall call) {
}
