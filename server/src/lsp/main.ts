// Entry point of the language server bundle.
import './server';
