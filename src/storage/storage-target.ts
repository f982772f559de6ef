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
