// nlkit/audit: placeholder until the module lands.
export {};
