import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import type { Env } from '../config';

/**
 * Where a storage account is and how hibi proves who it is there: a Table endpoint with an Entra ID
 * token (managed identity on Azure, `az login` on an HR PC), or a connection string (Azurite, or a
 * town that still uses account keys).
 */
export type StorageTarget = { url: string; credential: TokenCredential } | { connectionString: string };

/**
 * DefaultAzureCredential is what Microsoft documents for apps that run both on Azure and on a PC: on
 * App Service it takes the managed identity (AZURE_CLIENT_ID picks the user-assigned one), at a desk
 * the Azure CLI's login.
 */
export function azureCredential(env: Pick<Env, 'AZURE_CLIENT_ID'>): TokenCredential {
  return new DefaultAzureCredential(env.AZURE_CLIENT_ID ? { managedIdentityClientId: env.AZURE_CLIENT_ID } : {});
}

/** The main storage named by the environment; undefined = none set (development starts Azurite). */
export function mainStorageOf(env: Env, credential: () => TokenCredential = () => azureCredential(env)): StorageTarget | undefined {
  if (env.STORAGE_ACCOUNT_URL) return { url: env.STORAGE_ACCOUNT_URL, credential: credential() };
  if (env.STORAGE_CONNECTION_STRING) return { connectionString: env.STORAGE_CONNECTION_STRING };
  return undefined;
}

/** HR's storage for the KPI rollups when it is an account of its own; undefined = the main storage. */
export function hrStorageOf(env: Env, credential: () => TokenCredential = () => azureCredential(env)): StorageTarget | undefined {
  if (env.HR_STORAGE_ACCOUNT_URL) return { url: env.HR_STORAGE_ACCOUNT_URL, credential: credential() };
  if (env.HR_STORAGE_CONNECTION_STRING) return { connectionString: env.HR_STORAGE_CONNECTION_STRING };
  return undefined;
}

/**
 * One line for the IT person when hibi cannot use its storage at start: the token could not be had
 * (wrong identity, not logged in) or the identity lacks its role. undefined = some other failure.
 */
export function storageStartFailure(error: unknown, env: Pick<Env, 'STORAGE_ACCOUNT_URL' | 'AZURE_CLIENT_ID'>): string | undefined {
  if (!env.STORAGE_ACCOUNT_URL || !(error instanceof Error)) return undefined;
  const identity = env.AZURE_CLIENT_ID ? `the managed identity AZURE_CLIENT_ID=${env.AZURE_CLIENT_ID}` : 'the system managed identity or your az login';
  if (/AuthenticationError|CredentialUnavailableError/.test(error.name)) {
    return `storage: no Entra ID token for STORAGE_ACCOUNT_URL=${env.STORAGE_ACCOUNT_URL} from ${identity}: ${error.message.split('\n').find((l) => /ManagedIdentity|AzureCli/.test(l)) ?? error.message.split('\n')[0]}`;
  }
  if ((error as { statusCode?: number }).statusCode === 403) {
    return `storage: ${identity} is refused by STORAGE_ACCOUNT_URL=${env.STORAGE_ACCOUNT_URL}: give it the role "Storage Table Data Contributor" on the account`;
  }
  return undefined;
}
