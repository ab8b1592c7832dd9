//! The administrator's force-logout API (being written).
