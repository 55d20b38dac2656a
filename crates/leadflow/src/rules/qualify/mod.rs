//! Qualification frameworks (BANT, CHAMP, MEDDIC, MEDDPICC, your own) as data.
