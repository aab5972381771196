/** Key of cdk-opex's service catalog in each template's Metadata section. */
export const CATALOG_METADATA_KEY = 'cdk-opex';
