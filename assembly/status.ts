// Status codes returned by every export that can fail: the Win32 numbers, under the names the RTMv2
// documentation uses (winerror.h). 0 = NO_ERROR. The facade maps them to RtmError codes by number.
export const NO_ERROR: i32 = 0;
export const ERROR_FILE_NOT_FOUND: i32 = 2;
export const ERROR_ACCESS_DENIED: i32 = 5;
export const ERROR_INVALID_HANDLE: i32 = 6;
export const ERROR_NOT_ENOUGH_MEMORY: i32 = 8;
export const ERROR_NOT_SUPPORTED: i32 = 50;
export const ERROR_INVALID_PARAMETER: i32 = 87;
export const ERROR_NOT_LOCKED: i32 = 158;
export const ERROR_BUSY: i32 = 170;
export const ERROR_ALREADY_EXISTS: i32 = 183;
export const ERROR_NO_MORE_ITEMS: i32 = 259;
export const ERROR_NOT_FOUND: i32 = 1168;
export const ERROR_NO_SYSTEM_RESOURCES: i32 = 1450;
