// Stands in for @aws-sdk/credential-provider-node in the Lambda bundle. Lambda hands the function its role's
// credentials as environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), so the
// default chain's other sources (SSO, ini files, STS web identity, IMDS, login) are ~95 KiB of dead code there.
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init = {}) => fromEnv(init);
