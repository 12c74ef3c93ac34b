// Placeholder until the LSP layer lands.
export {};
