import './synthesized/stack';
import './synthesized/nag';
import './synthesized/parity';

/**
 * The checks of the synthesized CDK app, one module each in test/infra/synthesized/, run as one test
 * file so that they share one synthesis per set of settings (test/support/synth.ts caches them per
 * file) and one load of aws-cdk-lib and cdk-nag. As three files they loaded the CDK three times and
 * synthesized six apps, three of them the same default one: 57, 44 and 22 s in the full run of 06:27.
 */
