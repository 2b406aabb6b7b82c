// Pin names of a generic board: the names examples use, so they compile. NC means "not
// connected"; all others are in-memory dummies (see DigitalOut.h).
#pragma once

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { PIN_INPUT, PIN_OUTPUT } PinDirection;

typedef enum {
    A0 = 0x100,
    A1,
    A2,
    A3,
    A4,
    A5,
    D0 = 0x200,
    D1,
    D2,
    D3,
    D4,
    D5,
    D6,
    D7,
    D8,
    D9,
    D10,
    D11,
    D12,
    D13,
    D14,
    D15,

    LED1 = 0x300,
    LED2,
    LED3,
    LED4,
    LED_RED = LED1,
    LED_GREEN = LED2,
    LED_BLUE = LED3,

    BUTTON1 = 0x400,
    BUTTON2,
    BUTTON3,
    BUTTON4,
    SW1 = BUTTON1,
    SW2 = BUTTON2,
    SW3 = BUTTON3,
    USER_BUTTON = BUTTON1,

    USBTX = 0x500,
    USBRX,
    CONSOLE_TX = USBTX,
    CONSOLE_RX = USBRX,
    STDIO_UART_TX = USBTX,
    STDIO_UART_RX = USBRX,
    SERIAL_TX = USBTX,
    SERIAL_RX = USBRX,

    I2C_SCL = 0x600,
    I2C_SDA,
    SPI_MOSI = 0x700,
    SPI_MISO,
    SPI_SCK,
    SPI_CS,

    NC = (int)0xFFFFFFFF
} PinName;

typedef enum {
    PullNone = 0,
    PullDown = 1,
    PullUp = 2,
    OpenDrain = 3,
    PullDefault = PullUp
} PinMode;

#ifdef __cplusplus
}
#endif
